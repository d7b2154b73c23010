using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Concatenate(axis, tensors) and Stack(axis, tensors) of one to three tensors.</summary>
public sealed class ConcatenateTests
{
    /// <summary>Tensors that agree off <c>Axis</c> and have random sizes (0 … 4) along it.</summary>
    private static readonly Gen<(Tensor<double>[] Parts, int Axis)> ConcatenateOperands =
        from shape in Shapes.RankBetween(1, Shapes.MaxRank)
        from axis in Shapes.Axis(shape.Rank)
        from sizes in Gen.ArrayOf(Gen.Choose(0, Shapes.MaxSize), 3).SelectMany(all => Gen.Choose(1, 3).Select(count => all[..count]))
        from parts in Gen.CollectToArray(sizes.Select(size => TensorGen.Of(shape.WithDimension(axis, size), Values.General)))
        select (parts, axis);

    /// <summary>Equally shaped tensors and an axis in [−(rank + 1), rank] for the new axis.</summary>
    private static readonly Gen<(Tensor<double>[] Parts, int Axis)> StackOperands =
        from shape in Shapes.Any
        from axis in Gen.Choose(-(shape.Rank + 1), shape.Rank)
        from count in Gen.Choose(1, 3)
        from parts in Gen.ArrayOf(TensorGen.Of(shape, Values.General), count)
        select (parts, axis);

    private static readonly Gen<OpCase> Cases = Gen.OneOf(
        from o in ConcatenateOperands
        from opCase in OpCase.Of($"Concatenate(axis {o.Axis}) of {o.Parts.Length}", xs => Tensor.Concatenate(o.Axis, xs), o.Parts)
        select opCase,
        from o in StackOperands
        from opCase in OpCase.Of($"Stack(axis {o.Axis}) of {o.Parts.Length}", xs => Tensor.Stack(o.Axis, xs), o.Parts)
        select opCase);

    [Fact]
    public void ConcatenateValueMatchesReference() =>
        Properties.ForAll(ConcatenateOperands, o =>
        {
            int axis = o.Axis < 0 ? o.Axis + o.Parts[0].Rank : o.Axis;
            var owner = o.Parts.SelectMany((part, p) => Enumerable.Range(0, part.Shape[axis]).Select(offset => (Part: p, Offset: offset))).ToArray();
            var expected = NdIndex.Build(o.Parts[0].Shape.WithDimension(axis, owner.Length), index =>
            {
                var (part, offset) = owner[index[axis]];
                var source = (int[])index.Clone();
                source[axis] = offset;
                return NdIndex.At(o.Parts[part], source);
            });
            ElementwiseComparison.Require($"Concatenate(axis {o.Axis})", Tensor.Concatenate(o.Axis, o.Parts), expected, new Tolerance(0, 0));
        });

    [Fact]
    public void StackValueMatchesReference() =>
        Properties.ForAll(StackOperands, o =>
        {
            int rank = o.Parts[0].Rank + 1;
            int axis = o.Axis < 0 ? o.Axis + rank : o.Axis;
            var dims = o.Parts[0].Shape.ToArray().ToList();
            dims.Insert(axis, o.Parts.Length);
            var expected = NdIndex.Build(new Shape([.. dims]), index =>
            {
                var source = index.Where((_, a) => a != axis).ToArray();
                return NdIndex.At(o.Parts[index[axis]], source);
            });
            ElementwiseComparison.Require($"Stack(axis {o.Axis})", Tensor.Stack(o.Axis, o.Parts), expected, new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);
}
