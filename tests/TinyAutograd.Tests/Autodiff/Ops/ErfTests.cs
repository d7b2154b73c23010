using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class ErfTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Erf", x => x.Erf(), Values.General);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    /// <summary>
    /// Against <see cref="Reference.Erf"/>, a series without cancellation, to 4·10⁻¹⁵ relative: the series' own rounding
    /// (up to ~50 terms for |x| ≤ 5) reaches ~2·10⁻¹⁵, the kernel's error is below one ulp. The points cover every branch.
    /// </summary>
    [Fact]
    public void ValuesAreWithinAFewUlpsOfAPositiveSeries()
    {
        var points = Enumerable.Range(0, 1001).Select(i => -5 + i * 0.01).Append(1e-300).Append(-2e-9).ToArray();
        var y = Tensor.FromArray(points).Erf();
        for (int i = 0; i < points.Length; i++)
        {
            double expected = Reference.Erf(points[i]);
            const double relative = 4e-15;
            Assert.True(Math.Abs(y[i] - expected) <= relative * Math.Abs(expected), $"erf({points[i]:R}) = {y[i]:R}, series {expected:R}");
        }
    }

    [Fact]
    public void TabulatedValuesHold()
    {
        // Abramowitz and Stegun, Table 7.1.
        var y = Tensor.FromArray([0.5, 1.0, 2.0, -1.0]).Erf();
        Assert.Equal(0.5204998778130465, y[0], 1e-16);
        Assert.Equal(0.8427007929497149, y[1], 1e-16);
        Assert.Equal(0.9953222650189527, y[2], 1e-16);
        Assert.Equal(-0.8427007929497149, y[3], 1e-16);
    }

    [Fact]
    public void ErfAtInfinityIsPlusOrMinusOneWithZeroGradient()
    {
        var x = Tensor.FromArray([double.NegativeInfinity, double.PositiveInfinity, 40.0, -40.0]).RequireGrad();
        var y = x.Erf();
        y.Sum().Backward();
        Assert.Equal(new[] { -1.0, 1.0, 1.0, -1.0 }, y.ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, x.Grad!.ToArray());
        Assert.True(double.IsNaN(Tensor.FromArray([double.NaN]).Erf()[0]));
    }

    /// <summary>
    /// Float lanes run the formulas in float: within 1 ulp of the double value rounded to float, on a dense sweep of
    /// [−7, 7] (every branch: 0.84375, 1.25, 1/0.35 and 6 are boundaries), just beside each boundary, and tiny,
    /// subnormal and infinite inputs.
    /// </summary>
    [Fact]
    public void FloatIsWithinOneUlpOfTheDoubleValue()
    {
        float[] boundaries = [0.84375f, 1.25f, (float)(1 / 0.35), 6f];
        var points = Enumerable.Range(0, 140_001).Select(i => -7f + i * 1e-4f)
            .Concat(boundaries.SelectMany(b => new[] { b, MathF.BitDecrement(b), MathF.BitIncrement(b), -b }))
            .Concat([0f, -0f, 1e-30f, -1e-30f, float.Epsilon, 1e-38f, float.PositiveInfinity, float.NegativeInfinity, 3e38f])
            .ToArray();
        FloatAgainstDouble.WithinUlps("erf", points, x => x.Erf(), x => x.Erf(), maxUlps: 1);
    }
}
