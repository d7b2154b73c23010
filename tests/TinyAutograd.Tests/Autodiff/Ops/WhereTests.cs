using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Tensor.Where(condition, whenTrue, whenFalse) with all three operands broadcast.</summary>
public sealed class WhereTests
{
    /// <summary>A constant condition (0 false; 1 or −2 true) and two branches, all three broadcast to a common shape.</summary>
    private static readonly Gen<(Tensor<double> Condition, Tensor<double> A, Tensor<double> B)> Operands =
        from full in Shapes.Any
        from conditionShape in Shapes.BroadcastingTo(full)
        from aShape in Shapes.BroadcastingTo(full)
        from bShape in Shapes.BroadcastingTo(full)
        from condition in TensorGen.Of(conditionShape, Gen.Elements(0.0, 1.0, -2.0))
        from a in TensorGen.Of(aShape, Values.General)
        from b in TensorGen.Of(bShape, Values.General)
        select (condition, a, b);

    private static readonly Gen<OpCase> Cases =
        from o in Operands
        from opCase in OpCase.Of($"Where(condition {o.Condition.Shape})", xs => Tensor.Where(o.Condition, xs[0], xs[1]), o.A, o.B)
        select opCase;

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, o =>
        {
            var shape = Reference.BroadcastShape(Reference.BroadcastShape(o.Condition.Shape, o.A.Shape), o.B.Shape);
            var expected = NdIndex.Build(shape, index => NdIndex.AtBroadcast(o.Condition, index) != 0 ? NdIndex.AtBroadcast(o.A, index) : NdIndex.AtBroadcast(o.B, index));
            ElementwiseComparison.Require("Where", Tensor.Where(o.Condition, o.A, o.B), expected, new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void NoGradientFlowsIntoTheCondition()
    {
        var condition = Tensor.FromArray([1.0, 0.0]).RequireGrad();
        var a = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        Tensor.Where(condition, a, Tensor.Scalar(0.0)).Sum().Backward();
        Assert.Null(condition.Grad);
        Assert.Equal(new[] { 1.0, 0.0 }, a.Grad!.ToArray());
    }
}
