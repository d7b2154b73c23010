using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>IndexSelect(axis, indices) with repeated and negative indices.</summary>
public sealed class IndexSelectTests
{
    private static readonly Gen<(Tensor<double> X, int Axis, int[] Indices)> Operands =
        from shape in Shapes.RankBetween(1, Shapes.MaxRank)
        from x in TensorGen.Of(shape, Values.General)
        from axis in Shapes.Axis(shape.Rank)
        from count in Gen.Choose(0, 6)
        from indices in Gen.ArrayOf(Gen.Choose(-shape[axis], shape[axis] - 1), count)
        select (x, axis, indices);

    private static string Describe(int axis, int[] indices) => $"IndexSelect(axis {axis}, [{string.Join(", ", indices)}])";

    private static readonly Gen<OpCase> Cases =
        from o in Operands
        from opCase in OpCase.Of(Describe(o.Axis, o.Indices), xs => xs[0].IndexSelect(o.Axis, o.Indices), o.X)
        select opCase;

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, o =>
        {
            int axis = o.Axis < 0 ? o.Axis + o.X.Rank : o.Axis;
            int size = o.X.Shape[axis];
            var expected = NdIndex.Build(o.X.Shape.WithDimension(axis, o.Indices.Length), index =>
            {
                var source = (int[])index.Clone();
                source[axis] = (o.Indices[index[axis]] + size) % size;
                return NdIndex.At(o.X, source);
            });
            ElementwiseComparison.Require(Describe(o.Axis, o.Indices), o.X.IndexSelect(o.Axis, o.Indices), expected, new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void RepeatedPicksAddUpInTheGradient()
    {
        var x = Tensor.FromArray([10.0, 20.0, 30.0]).RequireGrad();
        x.IndexSelect(0, [2, 0, 2, -1]).Backward(Tensor.FromArray([1.0, 2.0, 4.0, 8.0]));
        Assert.Equal(new[] { 2.0, 0.0, 13.0 }, x.Grad!.ToArray());
    }
}
