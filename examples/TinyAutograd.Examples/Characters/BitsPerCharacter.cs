namespace TinyAutograd.Examples.Characters;

/// <summary>Bits per character: a character model's mean negative log₂-likelihood of each character given those before it.</summary>
/// <remarks>bpc = −(1/N) Σᵢ log₂ p(cᵢ | c₍&lt;ᵢ₎) = (mean cross-entropy in nats) / ln 2. Lower is better; a uniform guess over V characters scores log₂ V.</remarks>
internal static class BitsPerCharacter
{
    /// <summary>Converts a mean cross-entropy in nats to bits.</summary>
    public static double FromNats(double meanNats) => meanNats / Math.Log(2);

    /// <summary>
    /// The bits per character of a model over <paramref name="ids"/>: every character but the first is predicted once,
    /// in windows of <paramref name="sequenceLength"/> (see <see cref="CharacterBatch.Consecutive"/>).
    /// </summary>
    /// <param name="ids">The text to score.</param>
    /// <param name="batchSize">Windows per call of <paramref name="meanNats"/>.</param>
    /// <param name="sequenceLength">Characters per window: the model's context restarts at each window.</param>
    /// <param name="meanNats">The model's mean cross-entropy (nats) over a batch's targets.</param>
    public static double Evaluate(int[] ids, int batchSize, int sequenceLength, Func<CharacterBatch, double> meanNats)
    {
        ArgumentNullException.ThrowIfNull(meanNats);
        double totalNats = 0;
        long count = 0;
        foreach (var batch in CharacterBatch.Consecutive(ids, batchSize, sequenceLength))
        {
            totalNats += meanNats(batch) * batch.Targets.Length;
            count += batch.Targets.Length;
        }
        return FromNats(totalNats / count);
    }
}
