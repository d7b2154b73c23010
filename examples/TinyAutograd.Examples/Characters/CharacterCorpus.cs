using System.IO.Compression;

namespace TinyAutograd.Examples.Characters;

/// <summary>
/// A text for character language models, encoded as ids and split in two: the first part trains, the rest validates
/// (a contiguous tail, so no validation passage leaks into training through overlapping windows).
/// </summary>
internal sealed class CharacterCorpus
{
    /// <summary>The fraction of the text held out for validation when none is given.</summary>
    public const double DefaultValidationFraction = 0.1;

    private const string DevilsDictionaryResource = "TinyAutograd.Examples.Data.devils-dictionary.txt.gz";

    /// <summary>Encodes <paramref name="text"/> and holds out its last <paramref name="validationFraction"/> for validation.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction leaves fewer than two characters on either side.</exception>
    public CharacterCorpus(string text, double validationFraction = DefaultValidationFraction)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        int validationLength = (int)Math.Round(text.Length * validationFraction);
        if (validationLength < 2 || text.Length - validationLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                $"character corpus: a validation fraction of {validationFraction} splits {text.Length} characters into {text.Length - validationLength} and {validationLength}; each part needs at least 2.");
        }
        Vocabulary = new CharacterVocabulary(text);
        var ids = Vocabulary.Encode(text);
        Training = ids[..^validationLength];
        Validation = ids[^validationLength..];
    }

    /// <summary>The characters and their ids (taken from the whole text, so validation has no unknown character).</summary>
    public CharacterVocabulary Vocabulary { get; }

    /// <summary>The ids of the training part.</summary>
    public int[] Training { get; }

    /// <summary>The ids of the validation part.</summary>
    public int[] Validation { get; }

    /// <summary>
    /// Ambrose Bierce's "The Devil's Dictionary" (1911, public domain; shipped inside this program, origin in
    /// Data/NOTICE.md), optionally cut to its first <paramref name="maximumLength"/> characters for quick runs.
    /// </summary>
    public static CharacterCorpus DevilsDictionary(int? maximumLength = null, double validationFraction = DefaultValidationFraction)
    {
        using var resource = typeof(CharacterCorpus).Assembly.GetManifestResourceStream(DevilsDictionaryResource)
            ?? throw new InvalidOperationException("character corpus: the embedded resource Data/devils-dictionary.txt.gz is missing from the build.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));
        string text = reader.ReadToEnd();
        return new CharacterCorpus(maximumLength is { } length && length < text.Length ? text[..length] : text, validationFraction);
    }
}
