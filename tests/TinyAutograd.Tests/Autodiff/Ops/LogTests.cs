using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class LogTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Log", x => x.Log(), Values.Positive);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void LogOfZeroIsNegativeInfinityAndOfNegativeIsNaN()
    {
        var y = Tensor.FromArray([0.0, -1.0]).Log();
        Assert.Equal(double.NegativeInfinity, y[0]);
        Assert.True(double.IsNaN(y[1]));
    }
}
