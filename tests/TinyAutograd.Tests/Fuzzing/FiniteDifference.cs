namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// Central differences of a function of one real t at t = 0, for values or vectors. A sample may be missing (null)
/// when the function left the smooth piece it started on; the difference is then null too.
/// </summary>
internal static class FiniteDifference
{
    /// <summary>The three-point difference (f(h) − f(−h)) / 2h, error O(h²·f‴).</summary>
    public static double[]? Central(Func<double, double[]?> f, double h) => Combine(f, h, [1, -1], [1, -1], 2);

    /// <summary>The five-point difference (−f(2h) + 8f(h) − 8f(−h) + f(−2h)) / 12h, error O(h⁴·f⁽⁵⁾).</summary>
    public static double[]? FivePoint(Func<double, double[]?> f, double h) => Combine(f, h, [2, 1, -1, -2], [-1, 8, -8, 1], 12);

    private static double[]? Combine(Func<double, double[]?> f, double h, double[] offsets, double[] weights, double denominator)
    {
        double[]? derivative = null;
        for (int p = 0; p < offsets.Length; p++)
        {
            if (f(offsets[p] * h) is not { } sample)
            {
                return null;
            }
            derivative ??= new double[sample.Length];
            for (int i = 0; i < sample.Length; i++)
            {
                derivative[i] += weights[p] * sample[i];
            }
        }
        for (int i = 0; i < derivative!.Length; i++)
        {
            derivative[i] /= denominator * h;
        }
        return derivative;
    }
}
