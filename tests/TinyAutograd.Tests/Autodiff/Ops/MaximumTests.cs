using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class MaximumTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Binary("Maximum", (a, b) => a.Maximum(b), Values.Lattice(odd: false), Values.Lattice(odd: true));

    [Fact]
    public void ValueMatchesBroadcastingReference() =>
        Properties.ForAll(OpCases.BroadcastOperands(Values.Lattice(odd: false), Values.Lattice(odd: true)), operands =>
        {
            var (a, b) = operands;
            ElementwiseComparison.Require("Maximum value", a.Maximum(b), Reference.Broadcast(a, b, (p, q) => Math.Max(p, q)), new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void TiesSplitTheGradientEvenly()
    {
        var a = Tensor.FromArray([1.0, 2.0, 5.0]).RequireGrad();
        var b = Tensor.FromArray([1.0, 3.0, 4.0]).RequireGrad();
        a.Maximum(b).Sum().Backward();
        Assert.Equal(new[] { 0.5, 0.0, 1.0 }, a.Grad!.ToArray());
        Assert.Equal(new[] { 0.5, 1.0, 0.0 }, b.Grad!.ToArray());
    }
}
