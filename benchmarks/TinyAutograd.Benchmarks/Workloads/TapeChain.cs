namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// A long chain of tiny ops, x ← x·1.0001 + 0.0001 repeated: it measures the per-op cost of recording and
/// walking the tape rather than arithmetic.
/// </summary>
public static class TapeChain
{
    /// <summary>The multiplier of every step.</summary>
    public const double Factor = 1.0001;

    /// <summary>The offset of every step.</summary>
    public const double Offset = 0.0001;

    /// <summary>The end of the chain started at <paramref name="start"/> (recorded when <paramref name="start"/> requires grad).</summary>
    public static Tensor<float> Run(Tensor<float> start, int iterations)
    {
        var x = start;
        for (int i = 0; i < iterations; i++)
        {
            x = x * Factor + Offset;
        }
        return x;
    }

    /// <summary>The exact derivative of the chain's end with respect to its start: the float32 factor to the power of the step count.</summary>
    public static double ExpectedGradient(int iterations) => Math.Pow((float)Factor, iterations);
}
