using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class Log1pTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Log1p", x => x.Log1p(), Values.Uniform(-0.5, 3));

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    /// <summary>Small x keep their relative accuracy (ln(1 + x) = x − x²/2 + x³/3 − …), where ln(1 + x) in double would be 0.</summary>
    [Fact]
    public void TinyInputsKeepFullRelativeAccuracy()
    {
        double[] values = [1e-20, -3e-12, 1e-8, 2e-5];
        var y = Tensor.FromArray(values).Log1p();
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            double series = x - x * x / 2 + x * x * x / 3 - x * x * x * x / 4;
            Assert.True(Math.Abs(y[i] - series) <= 4e-16 * Math.Abs(series), $"log1p({x:R}) = {y[i]:R}, series {series:R}");
        }
    }

    [Fact]
    public void NearMinusOneTheValueFallsToMinusInfinityAndTheGradientGrows()
    {
        var x = Tensor.FromArray([-1 + 1e-10, -1.0, -1.5]).RequireGrad();
        var y = x.Log1p();
        y.Sum().Backward();
        Assert.Equal(Math.Log(1e-10), y[0], 1e-6);
        Assert.Equal(double.NegativeInfinity, y[1]);
        Assert.True(double.IsNaN(y[2]));
        Assert.Equal(1 / (1 + (-1 + 1e-10)), x.Grad![0], 1e-15 / 1e-10);
        Assert.Equal(double.PositiveInfinity, x.Grad![1]);
    }
}
