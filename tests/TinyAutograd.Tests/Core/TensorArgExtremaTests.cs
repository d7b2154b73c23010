using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Core;

/// <summary>ArgMax and ArgMin against a naive scan, on values with many ties (the first index wins) and with NaN.</summary>
public sealed class TensorArgExtremaTests
{
    /// <summary>Small integers, so that slices tie often.</summary>
    private static Gen<(Tensor<double> X, int Axis)> TiedCases =>
        from shape in Shapes.RankBetween(1, 4)
        from x in TensorGen.Of(shape, Gen.Choose(0, 2).Select(v => (double)v))
        from axis in Shapes.Axis(shape.Rank)
        select (x, axis);

    [Fact]
    public void AlongAnAxisTheFirstExtremeOfEverySliceIsFound() =>
        Properties.ForAll(TiedCases, c =>
        {
            var (x, axis) = c;
            int a = axis < 0 ? axis + x.Rank : axis;
            var kept = x.Shape.WithDimension(a, 1);
            Assert.Equal(FirstExtremes(x, a, largest: true), x.ArgMax(axis));
            Assert.Equal(FirstExtremes(x, a, largest: false), x.ArgMin(axis));
            Assert.Equal(kept.Length, x.ArgMax(axis).Length);
        });

    [Fact]
    public void OverAllElementsTheFirstFlatIndexIsFound() =>
        Properties.ForAll(TiedCases, c =>
        {
            var values = c.X.ToArray();
            Assert.Equal(Array.IndexOf(values, values.Max()), c.X.ArgMax());
            Assert.Equal(Array.IndexOf(values, values.Min()), c.X.ArgMin());
        });

    [Fact]
    public void TheFirstNaNWinsAsInNumPy()
    {
        var x = Tensor.FromArray([1.0, double.NaN, 5.0, double.NaN, -2.0, 0.0], [2, 3]);
        Assert.Equal(1, x.ArgMax());
        Assert.Equal(1, x.ArgMin());
        Assert.Equal(new[] { 1, 0 }, x.ArgMax(1));
        Assert.Equal(new[] { 1, 0 }, x.ArgMin(1));
        Assert.Equal(new[] { 1, 0, 0 }, x.ArgMax(0));
        Assert.Equal(new[] { 1, 0, 1 }, x.ArgMin(0));
    }

    [Fact]
    public void AnEmptyTensorOrSliceIsRefusedNamingTheOp()
    {
        var none = Assert.Throws<ArgumentException>(() => Tensor.Zeros<float>(0, 3).ArgMax());
        Assert.Contains("ArgMax", none.Message, StringComparison.Ordinal);
        var slice = Assert.Throws<ArgumentException>(() => Tensor.Zeros<float>(2, 0).ArgMin(1));
        Assert.Contains("ArgMin: axis 1", slice.Message, StringComparison.Ordinal);
        Assert.Empty(Tensor.Zeros<float>(0, 3).ArgMax(1));
        var axis = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<float>(2, 3).ArgMax(-3));
        Assert.Contains("ArgMax", axis.Message, StringComparison.Ordinal);
    }

    /// <summary>For each position off <paramref name="axis"/>, row-major, the first k where the slice is extreme.</summary>
    private static int[] FirstExtremes(Tensor<double> x, int axis, bool largest)
    {
        var kept = x.Shape.WithDimension(axis, 1);
        return NdIndex.All(kept).Select(index =>
        {
            var at = (int[])index.Clone();
            var slice = Enumerable.Range(0, x.Shape[axis]).Select(k => { at[axis] = k; return NdIndex.At(x, at); }).ToArray();
            return Array.IndexOf(slice, largest ? slice.Max() : slice.Min());
        }).ToArray();
    }
}
