using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class LeakyReluTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("LeakyRelu(0.2)", x => x.LeakyRelu(0.2), Values.AwayFromZero);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void TheSlopeScalesNegativeInputsAndTheirGradientIncludingAtZero()
    {
        var x = Tensor.FromArray([-2.0, 0.0, 3.0]).RequireGrad();
        var y = x.LeakyRelu(0.25);
        y.Sum().Backward();
        Assert.Equal(new[] { -0.5, 0.0, 3.0 }, y.ToArray());
        Assert.Equal(new[] { 0.25, 0.25, 1.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void TheDefaultSlopeIsOneHundredth() =>
        Assert.Equal(-0.01, Tensor.FromArray([-1.0]).LeakyRelu()[0]);
}
