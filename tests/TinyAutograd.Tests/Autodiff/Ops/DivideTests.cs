using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class DivideTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Binary("Divide", (a, b) => a / b, Values.General, Values.AwayFromZero);

    [Fact]
    public void ValueMatchesBroadcastingReference() =>
        Properties.ForAll(OpCases.BroadcastOperands(Values.General, Values.AwayFromZero), operands =>
        {
            var (a, b) = operands;
            ElementwiseComparison.Require("Divide value", a / b, Reference.Broadcast(a, b, (p, q) => p / q), new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void MethodFormEqualsOperatorAndDivisionByZeroFollowsIeee()
    {
        var a = Tensor.FromArray([1.0, -1.0, 0.0]);
        var b = Tensor.FromArray([0.0, 0.0, 0.0]);
        var q = a.Divide(b);
        Assert.Equal(double.PositiveInfinity, q[0]);
        Assert.Equal(double.NegativeInfinity, q[1]);
        Assert.True(double.IsNaN(q[2]));
    }
}
