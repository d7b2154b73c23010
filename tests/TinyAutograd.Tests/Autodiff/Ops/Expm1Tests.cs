using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class Expm1Tests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Expm1", x => x.Expm1(), Values.General);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    /// <summary>Small x keep their relative accuracy (eˣ − 1 = x + x²/2 + x³/6 + …), where eˣ − 1 in double loses digits.</summary>
    [Fact]
    public void TinyInputsKeepFullRelativeAccuracy()
    {
        double[] values = [1e-20, -3e-12, 1e-8, -2e-5];
        var y = Tensor.FromArray(values).Expm1();
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            double series = x + x * x / 2 + x * x * x / 6 + x * x * x * x / 24;
            Assert.True(Math.Abs(y[i] - series) <= 4e-16 * Math.Abs(series), $"expm1({x:R}) = {y[i]:R}, series {series:R}");
        }
    }

    [Fact]
    public void LargeInputsMatchExpMinusOneAndTheLimitsHold()
    {
        var y = Tensor.FromArray([3.0, -3.0, double.NegativeInfinity, double.PositiveInfinity, 1000.0]).Expm1();
        Assert.Equal(Math.Exp(3) - 1, y[0], 1e-14);
        Assert.Equal(Math.Exp(-3) - 1, y[1], 1e-15);
        Assert.Equal(-1.0, y[2]);
        Assert.Equal(double.PositiveInfinity, y[3]);
        Assert.Equal(double.PositiveInfinity, y[4]);
    }
}
