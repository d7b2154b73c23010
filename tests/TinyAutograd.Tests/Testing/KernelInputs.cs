namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Deterministic inputs for kernel tests that are exactly representable in float, so the same values can be fed to
/// the float and double kernels and to a double reference, and any difference is the kernel's own rounding.
/// </summary>
public static class KernelInputs
{
    /// <summary>Lengths that exercise SIMD tails for 4-, 8- and 16-lane vectors, plus one longer than a typical block.</summary>
    public static readonly int[] OddLengths = [1, 3, 7, 15, 17, 31, 33, 63, 65, 127, 1031];

    /// <summary><paramref name="count"/> float-representable values uniform in [low, high), from a seeded generator.</summary>
    public static double[] Values(int count, double low, double high, ulong seed)
    {
        var random = new RandomSource(seed);
        return Enumerable.Range(0, count).Select(_ => (double)(float)(low + (high - low) * random.NextDouble())).ToArray();
    }

    /// <summary>The values as floats (exact, since they are float-representable).</summary>
    public static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();

    /// <summary>The values widened to double (exact).</summary>
    public static double[] ToDouble(ReadOnlySpan<float> values) => values.ToArray().Select(v => (double)v).ToArray();

    /// <summary>
    /// The float-vs-double tolerance for a correctly rounded float operation: half a float ulp relative, 2⁻²⁴ ≈ 6e-8,
    /// widened to one ulp (1.2e-7) plus the smallest normal float as absolute slack for results near 0.
    /// </summary>
    public static Tolerance CorrectlyRoundedFloat { get; } = new(Absolute: 1.2e-38, Relative: 1.2e-7);
}
