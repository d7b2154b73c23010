using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Slice(axis, start, length), including empty slices and negative axes.</summary>
public sealed class SliceTests
{
    private static readonly Gen<(Tensor<double> X, int Axis, int Start, int Length)> Operands =
        from shape in Shapes.RankBetween(1, Shapes.MaxRank)
        from x in TensorGen.Of(shape, Values.General)
        from axis in Shapes.Axis(shape.Rank)
        from start in Gen.Choose(0, shape[axis])
        from length in Gen.Choose(0, shape[axis] - start)
        select (x, axis, start, length);

    private static readonly Gen<OpCase> Cases =
        from o in Operands
        from opCase in OpCase.Of($"Slice(axis {o.Axis}, start {o.Start}, length {o.Length})", xs => xs[0].Slice(o.Axis, o.Start, o.Length), o.X)
        select opCase;

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, o =>
        {
            int axis = o.Axis < 0 ? o.Axis + o.X.Rank : o.Axis;
            var expected = NdIndex.Build(o.X.Shape.WithDimension(axis, o.Length), index =>
            {
                var source = (int[])index.Clone();
                source[axis] += o.Start;
                return NdIndex.At(o.X, source);
            });
            ElementwiseComparison.Require($"Slice(axis {o.Axis}, start {o.Start}, length {o.Length})", o.X.Slice(o.Axis, o.Start, o.Length), expected, new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);
}
