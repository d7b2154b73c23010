namespace TinyAutograd.Tests.Testing;

/// <summary>
/// How far a computed value may be from its reference: |actual − expected| ≤ <see cref="Absolute"/> + <see cref="Relative"/>·|expected|.
/// </summary>
/// <remarks>A NaN on either side is never accepted, and infinities are accepted only when both sides are the same infinity.</remarks>
public readonly record struct Tolerance(double Absolute, double Relative)
{
    /// <summary>The allowed difference for a reference value.</summary>
    public double Allowed(double expected) => Absolute + Relative * Math.Abs(expected);

    /// <summary>How much of the allowance a difference uses: ≤ 1 accepted, &gt; 1 rejected, +∞ for NaN or a missed infinity.</summary>
    public double Excess(double actual, double expected)
    {
        if (double.IsNaN(actual) || double.IsNaN(expected))
        {
            return double.PositiveInfinity;
        }
        if (double.IsInfinity(actual) || double.IsInfinity(expected))
        {
            return actual == expected ? 0 : double.PositiveInfinity;
        }
        double difference = Math.Abs(actual - expected);
        double allowed = Allowed(expected);
        return difference == 0 ? 0 : allowed == 0 ? double.PositiveInfinity : difference / allowed;
    }

    /// <summary>A purely absolute tolerance of <paramref name="relative"/> times the largest magnitude among <paramref name="values"/> (at least 1).</summary>
    /// <remarks>For comparing two computations of one vector whose rounding errors scale with the vector's size, not with each element.</remarks>
    public static Tolerance RelativeToLargest(double relative, ReadOnlySpan<double> values)
    {
        double largest = 1;
        foreach (double value in values)
        {
            largest = Math.Max(largest, Math.Abs(value));
        }
        return new Tolerance(relative * largest, 0);
    }

    /// <inheritdoc/>
    public override string ToString() => $"|Δ| ≤ {Absolute:G3} + {Relative:G3}·|expected|";
}
