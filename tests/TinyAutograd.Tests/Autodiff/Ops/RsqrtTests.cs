using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class RsqrtTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Rsqrt", x => x.Rsqrt(), Values.Positive);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void ValuesAreOneOverTheRootAndTheEdgesFollowIeee()
    {
        var x = Tensor.FromArray([4.0, 2.0, 0.0, -1.0]).RequireGrad();
        var y = x.Rsqrt();
        y.Sum().Backward();
        Assert.Equal(0.5, y[0]);
        Assert.Equal(1 / Math.Sqrt(2), y[1]);
        Assert.Equal(double.PositiveInfinity, y[2]);
        Assert.True(double.IsNaN(y[3]));
        Assert.Equal(-0.5 * Math.Pow(4, -1.5), x.Grad![0], 1e-16);
    }
}
