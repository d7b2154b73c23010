namespace TinyAutograd.Examples.Characters;

/// <summary>
/// A batch of <see cref="BatchSize"/> windows of <see cref="SequenceLength"/> character ids, row-major
/// [batch, sequence], and their targets: each input character's successor in the text.
/// </summary>
internal sealed record CharacterBatch(int[] Inputs, int[] Targets, int BatchSize, int SequenceLength)
{
    /// <summary>
    /// <paramref name="batchSize"/> windows starting at uniformly drawn positions of <paramref name="ids"/>, for training.
    /// </summary>
    /// <exception cref="ArgumentException">The text is too short for one window and its successor.</exception>
    public static CharacterBatch Random(ReadOnlySpan<int> ids, int batchSize, int sequenceLength, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckSizes(ids.Length, batchSize, sequenceLength);
        var starts = new int[batchSize];
        for (int row = 0; row < batchSize; row++)
        {
            starts[row] = random.NextInt(ids.Length - sequenceLength);
        }
        return FromStarts(ids, starts, sequenceLength);
    }

    /// <summary>
    /// Every character of <paramref name="ids"/> but the first as a target exactly once: consecutive non-overlapping
    /// windows, grouped <paramref name="batchSize"/> at a time (the last batch and window may be shorter). For evaluation.
    /// </summary>
    public static IEnumerable<CharacterBatch> Consecutive(int[] ids, int batchSize, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(ids);
        CheckSizes(ids.Length, 1, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        int predictions = ids.Length - 1;
        int fullWindows = predictions / sequenceLength;
        for (int first = 0; first < fullWindows; first += batchSize)
        {
            int rows = Math.Min(batchSize, fullWindows - first);
            yield return FromStarts(ids, [.. Enumerable.Range(first, rows).Select(window => window * sequenceLength)], sequenceLength);
        }
        int remainder = predictions - fullWindows * sequenceLength;
        if (remainder > 0)
        {
            yield return FromStarts(ids, [fullWindows * sequenceLength], remainder);
        }
    }

    private static CharacterBatch FromStarts(ReadOnlySpan<int> ids, int[] starts, int sequenceLength)
    {
        var inputs = new int[starts.Length * sequenceLength];
        var targets = new int[inputs.Length];
        for (int row = 0; row < starts.Length; row++)
        {
            ids.Slice(starts[row], sequenceLength).CopyTo(inputs.AsSpan(row * sequenceLength));
            ids.Slice(starts[row] + 1, sequenceLength).CopyTo(targets.AsSpan(row * sequenceLength));
        }
        return new CharacterBatch(inputs, targets, starts.Length, sequenceLength);
    }

    private static void CheckSizes(int textLength, int batchSize, int sequenceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        if (textLength < sequenceLength + 1)
        {
            throw new ArgumentException($"character batch: a text of {textLength} characters holds no window of {sequenceLength} characters and its successor.");
        }
    }
}
