using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class MultiplyTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Binary("Multiply", (a, b) => a * b, Values.General, Values.General);

    [Fact]
    public void ValueMatchesBroadcastingReference() =>
        Properties.ForAll(OpCases.BroadcastOperands(Values.General, Values.General), operands =>
        {
            var (a, b) = operands;
            ElementwiseComparison.Require("Multiply value", a * b, Reference.Broadcast(a, b, (p, q) => p * q), new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void MethodFormEqualsOperator()
    {
        var a = Tensor.FromArray([1.0, 2.0]);
        var b = Tensor.FromArray([10.0, 20.0]);
        Assert.Equal(new[] { 10.0, 40.0 }, a.Multiply(b).ToArray());
    }
}
