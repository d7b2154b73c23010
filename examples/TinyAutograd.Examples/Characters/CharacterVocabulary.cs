namespace TinyAutograd.Examples.Characters;

/// <summary>The distinct characters of a text, each given an integer id (0 to Count − 1, in ordinal order).</summary>
internal sealed class CharacterVocabulary
{
    private readonly char[] _characters;
    private readonly Dictionary<char, int> _ids;

    /// <summary>Collects the distinct characters of <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    public CharacterVocabulary(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        _characters = [.. text.Distinct().Order()];
        _ids = _characters.Select((character, id) => (character, id)).ToDictionary(pair => pair.character, pair => pair.id);
    }

    /// <summary>The number of distinct characters.</summary>
    public int Count => _characters.Length;

    /// <summary>The character with id <paramref name="id"/>.</summary>
    public char this[int id] => _characters[id];

    /// <summary>The ids of the characters of <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">A character is not in the vocabulary.</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            ids[i] = _ids.TryGetValue(text[i], out int id)
                ? id
                : throw new ArgumentException($"character vocabulary: '{text[i]}' (U+{(int)text[i]:X4}) at position {i} is not one of its {Count} characters.", nameof(text));
        }
        return ids;
    }

    /// <summary>The text whose character ids are <paramref name="ids"/>.</summary>
    public string Decode(IEnumerable<int> ids) => new([.. ids.Select(id => _characters[id])]);
}
