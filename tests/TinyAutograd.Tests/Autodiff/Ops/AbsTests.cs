using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class AbsTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Abs", x => x.Abs(), Values.AwayFromZero);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void GradientIsTheSignWithZeroAtZero()
    {
        var x = Tensor.FromArray([-2.0, 0.0, 3.0]).RequireGrad();
        x.Abs().Sum().Backward();
        Assert.Equal(new[] { -1.0, 0.0, 1.0 }, x.Grad!.ToArray());
    }
}
