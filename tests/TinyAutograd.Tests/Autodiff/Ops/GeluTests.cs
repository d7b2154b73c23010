using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class GeluTests
{
    private static readonly Gen<OpCase> Exact = OpCases.Unary("Gelu", x => x.Gelu(), Values.General);
    private static readonly Gen<OpCase> TanhForm = OpCases.Unary("Gelu(tanh)", x => x.Gelu(GeluApproximation.Tanh), Values.General);

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        Properties.GradientMatchesFiniteDifferences(Exact, new Tolerance(Absolute: 1e-8, Relative: 1e-6));
        Properties.GradientMatchesFiniteDifferences(TanhForm, new Tolerance(Absolute: 1e-8, Relative: 1e-6));
    }

    [Fact]
    public void SecondOrderPropertiesHold()
    {
        Properties.SecondOrderHolds(Exact, SecondOrderTolerances.Standard);
        Properties.SecondOrderHolds(TanhForm, SecondOrderTolerances.Standard);
    }

    /// <summary>Against PyTorch's formulas evaluated independently: x·½(1 + erf(x/√2)) with erf from a series, and ½x(1 + tanh u).</summary>
    [Fact]
    public void ValuesMatchBothFormulas()
    {
        double[] values = [-4, -1.5, -0.3, 0, 0.7, 2.5];
        var exact = Tensor.FromArray(values).Gelu();
        var tanh = Tensor.FromArray(values).Gelu(GeluApproximation.Tanh);
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            Assert.Equal(x * 0.5 * (1 + Reference.Erf(x / Math.Sqrt(2))), exact[i], 1e-15);
            Assert.Equal(0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), tanh[i], 1e-15);
        }
    }

    /// <summary>
    /// In float, x·Φ(x) keeps its relative accuracy where Φ is small: within 6 ulps of the double value rounded to float
    /// (Φ's 5 and the product's rounding) from −12.5 (below, it nears float's subnormals) to −2. Through ½(1 + erf(x/√2)) in float it would be off by 10⁻⁵
    /// relative at −3 and lose every digit by −5.5.
    /// </summary>
    [Fact]
    public void FloatKeepsItsRelativeAccuracyInTheLowerTail()
    {
        var points = Enumerable.Range(0, 10_501).Select(i => -12.5f + i * 1e-3f).ToArray();
        FloatAgainstDouble.WithinUlps("gelu", points, x => x.Gelu(), x => x.Gelu(), maxUlps: 6);
    }

    [Theory]
    [InlineData(GeluApproximation.None)]
    [InlineData(GeluApproximation.Tanh)]
    public void AtPlusAndMinusThirtyTheValueIsXOrZeroAndTheGradientOneOrZero(GeluApproximation approximate)
    {
        var x = Tensor.FromArray([30.0, -30.0]).RequireGrad();
        var y = x.Gelu(approximate);
        y.Sum().Backward();
        Assert.Equal(30.0, y[0]);
        Assert.Equal(0.0, y[1], 1e-150);
        Assert.Equal(1.0, x.Grad![0], 1e-15);
        Assert.Equal(0.0, x.Grad![1], 1e-150);
    }
}
