using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class SqrtTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Sqrt", x => x.Sqrt(), Values.Positive);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void GradientAtZeroIsPositiveInfinity()
    {
        var x = Tensor.FromArray([0.0, 4.0]).RequireGrad();
        x.Sqrt().Sum().Backward();
        Assert.Equal(new[] { double.PositiveInfinity, 0.25 }, x.Grad!.ToArray());
    }
}
