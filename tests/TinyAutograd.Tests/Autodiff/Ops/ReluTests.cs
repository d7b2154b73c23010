using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class ReluTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Relu", x => x.Relu(), Values.AwayFromZero);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void GradientIsOneForPositiveAndZeroAtAndBelowZero()
    {
        var x = Tensor.FromArray([-2.0, 0.0, 3.0]).RequireGrad();
        x.Relu().Sum().Backward();
        Assert.Equal(new[] { 0.0, 0.0, 1.0 }, x.Grad!.ToArray());
    }
}
