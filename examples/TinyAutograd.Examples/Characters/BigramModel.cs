namespace TinyAutograd.Examples.Characters;

/// <summary>
/// The baseline for character models: p(next | previous) counted from a training text, with add-one (Laplace) smoothing.
/// </summary>
/// <remarks>p(b | a) = (count(a, b) + 1) / (count(a) + V), where count(a, b) counts a followed by b in the training ids,
/// count(a) = Σ_b count(a, b) and V is the vocabulary size. Every pair keeps a positive probability, so an unseen pair in
/// validation costs finitely many bits.</remarks>
internal sealed class BigramModel
{
    private readonly double[,] _logProbabilities;

    /// <summary>Counts the consecutive pairs of <paramref name="trainingIds"/> (ids in 0..<paramref name="vocabularySize"/> − 1).</summary>
    public BigramModel(ReadOnlySpan<int> trainingIds, int vocabularySize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabularySize);
        var counts = new long[vocabularySize, vocabularySize];
        for (int i = 1; i < trainingIds.Length; i++)
        {
            counts[trainingIds[i - 1], trainingIds[i]]++;
        }
        _logProbabilities = new double[vocabularySize, vocabularySize];
        for (int previous = 0; previous < vocabularySize; previous++)
        {
            long total = 0;
            for (int next = 0; next < vocabularySize; next++)
            {
                total += counts[previous, next];
            }
            for (int next = 0; next < vocabularySize; next++)
            {
                _logProbabilities[previous, next] = Math.Log((counts[previous, next] + 1.0) / (total + vocabularySize));
            }
        }
        VocabularySize = vocabularySize;
    }

    /// <summary>The number of distinct characters V.</summary>
    public int VocabularySize { get; }

    /// <summary>ln p(<paramref name="next"/> | <paramref name="previous"/>).</summary>
    public double LogProbability(int previous, int next) => _logProbabilities[previous, next];

    /// <summary>The log-probabilities of every next character after <paramref name="previous"/>: logits for <see cref="CharacterSampler"/>.</summary>
    public double[] NextLogProbabilities(int previous) => [.. Enumerable.Range(0, VocabularySize).Select(next => _logProbabilities[previous, next])];

    /// <summary>Bits per character over <paramref name="ids"/>: every character but the first, given its predecessor.</summary>
    /// <exception cref="ArgumentException">Fewer than two ids.</exception>
    public double BitsPerCharacter(ReadOnlySpan<int> ids)
    {
        if (ids.Length < 2)
        {
            throw new ArgumentException($"bigram model: scoring needs at least 2 characters, got {ids.Length}.", nameof(ids));
        }
        double nats = 0;
        for (int i = 1; i < ids.Length; i++)
        {
            nats -= _logProbabilities[ids[i - 1], ids[i]];
        }
        return Characters.BitsPerCharacter.FromNats(nats / (ids.Length - 1));
    }
}
