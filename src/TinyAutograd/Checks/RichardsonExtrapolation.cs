namespace TinyAutograd.Checks;

/// <summary>
/// Richardson extrapolation of central differences taken at steps that halve, with automatic choice of step and order.
/// </summary>
/// <remarks>
/// D₀(h) = (g(x + h) − g(x − h)) / 2h = g′ + c₁h² + c₂h⁴ + …; Dⱼ(h) = Dⱼ₋₁(h) + (Dⱼ₋₁(h) − Dⱼ₋₁(2h)) / (4ʲ − 1) cancels
/// the h²ʲ term. Each Dⱼ(h) is given the error estimate |Dⱼ(h) − Dⱼ(2h)| (truncation) plus 10·ε·max|g|/h (rounding,
/// ε the unit roundoff), and the entry with the smallest estimate wins, as in numdifftools' step selection (Brodtkorb,
/// numdifftools documentation; Richardson, Phil. Trans. R. Soc. A 210, 1911).
/// </remarks>
internal static class RichardsonExtrapolation
{
    /// <summary>The largest step, 2⁻³.</summary>
    public const double FirstStep = 0.125;

    /// <summary>How many steps: 2⁻³ down to 2⁻¹².</summary>
    public const int StepCount = 10;

    /// <summary>The highest order of extrapolation (cancelling h², h⁴ and h⁶).</summary>
    private const int MaxOrder = 3;

    /// <summary>The steps, largest first.</summary>
    public static double Step(int k) => FirstStep / (1 << k);

    /// <summary>
    /// The best estimate of one element from its values at x ± hₖ (<paramref name="ahead"/>[k], <paramref name="behind"/>[k])
    /// and its error estimate; NaN when no step gave finite values.
    /// </summary>
    /// <param name="ahead">g(x + hₖ·d) for k = 0 … <see cref="StepCount"/> − 1.</param>
    /// <param name="behind">g(x − hₖ·d).</param>
    /// <param name="roundoff">The unit roundoff ε of the element type.</param>
    public static (double Value, double Error) Estimate(ReadOnlySpan<double> ahead, ReadOnlySpan<double> behind, double roundoff)
    {
        // Only the run of steps down to the smallest at which g is finite on both sides (steps larger than it may leave f's domain).
        int first = ahead.Length;
        while (first > 0 && double.IsFinite(ahead[first - 1]) && double.IsFinite(behind[first - 1]))
        {
            first--;
        }
        int count = ahead.Length - first;
        if (count == 0)
        {
            return (double.NaN, double.NaN);
        }
        Span<double> table = stackalloc double[count * (MaxOrder + 1)];
        Span<double> rounding = stackalloc double[count];
        double bestValue = double.NaN, bestError = double.PositiveInfinity;
        for (int k = 0; k < count; k++)
        {
            double h = Step(first + k);
            double a = ahead[first + k], b = behind[first + k];
            table[k * (MaxOrder + 1)] = (a - b) / (2 * h);
            rounding[k] = 10 * roundoff * Math.Max(Math.Abs(a), Math.Abs(b)) / h;
            for (int j = 1; j <= Math.Min(k, MaxOrder); j++)
            {
                double previous = table[k * (MaxOrder + 1) + j - 1];
                double coarser = table[(k - 1) * (MaxOrder + 1) + j - 1];
                table[k * (MaxOrder + 1) + j] = previous + (previous - coarser) / (Math.Pow(4, j) - 1);
            }
            for (int j = 0; j <= Math.Min(k - 1, MaxOrder); j++)
            {
                double value = table[k * (MaxOrder + 1) + j];
                double error = Math.Abs(value - table[(k - 1) * (MaxOrder + 1) + j]) + rounding[k];
                if (error < bestError)
                {
                    (bestValue, bestError) = (value, error);
                }
            }
        }
        // A single finite step gives a plain central difference with nothing to compare it to, so no estimate.
        return count == 1 ? (table[0], 0) : (bestValue, bestError);
    }
}
