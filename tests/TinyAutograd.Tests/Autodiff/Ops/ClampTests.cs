using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class ClampTests
{
    /// <summary>Bounds at ±1.1: the values of <see cref="Values.General"/> fall on both sides, and none within 0.06 of a bound.</summary>
    private static readonly Gen<OpCase> Cases = OpCases.Unary(
        "Clamp(-1.1, 1.1)", x => x.Clamp(-1.1, 1.1), Values.General.Where(v => Math.Abs(Math.Abs(v) - 1.1) > 0.06));

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void TheGradientPassesStrictlyInsideTheBoundsAndIsZeroOnThem()
    {
        var x = Tensor.FromArray([-3.0, -1.0, -0.5, 2.0, 2.5, double.NegativeInfinity]).RequireGrad();
        var y = x.Clamp(-1, 2);
        y.Sum().Backward();
        Assert.Equal(new[] { -1.0, -1.0, -0.5, 2.0, 2.0, -1.0 }, y.ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 1.0, 0.0, 0.0, 0.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void InfiniteBoundsClampOneSideOnlyAndNaNPasses()
    {
        var y = Tensor.FromArray([-5.0, 5.0, double.NaN]).Clamp(0, double.PositiveInfinity);
        Assert.Equal(0.0, y[0]);
        Assert.Equal(5.0, y[1]);
        Assert.True(double.IsNaN(y[2]));
    }

    [Fact]
    public void BoundsInTheWrongOrderAreRefusedNamingTheOp()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1.0]).Clamp(2, 1));
        Assert.Contains("Clamp", error.Message, StringComparison.Ordinal);
        Assert.Contains("min = 2", error.Message, StringComparison.Ordinal);
    }
}
