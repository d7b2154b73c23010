namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>
/// Gather and ScatterAdd by hand, and what they refuse. Random calls, gradients, second order and the adjoint pairing
/// of the two: the registry (OpRegistry).
/// </summary>
public sealed class GatherTests
{
    [Fact]
    public void GatherPicksOneEntryPerRowAndItsGradientAddsRepeatedPicks()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3]).RequireGrad();
        var picked = x.Gather(1, [2, 2, 0, -1]);
        Assert.Equal(new Shape(2, 2), picked.Shape);
        Assert.Equal(new[] { 3.0, 3.0, 4.0, 6.0 }, picked.ToArray());
        picked.Backward(Tensor.FromArray([1.0, 10.0, 100.0, 1000.0], [2, 2]));
        Assert.Equal(new[] { 0.0, 0.0, 11.0, 100.0, 0.0, 1000.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void GatherAtTheArgMaxIsTheMaximum()
    {
        var x = Tensor.FromArray([3.0, -1.0, 7.0, 2.0, 9.0, 0.5], [3, 2]);
        Assert.Equal(x.Max(0, keepDims: true).ToArray(), x.Gather(0, x.ArgMax(0)).ToArray());
    }

    [Fact]
    public void ScatterAddAddsTheSourceAtTheIndicesIntoACopy()
    {
        var x = Tensor.FromArray([1.0, 1.0, 1.0, 1.0], [2, 2]).RequireGrad();
        var source = Tensor.FromArray([5.0, 6.0, 7.0, 8.0, 9.0, 10.0], [3, 2]).RequireGrad();
        var y = x.ScatterAdd(0, [1, 0, 1, 1, 0, 0], source);
        Assert.Equal(new[] { 10.0, 17.0, 13.0, 9.0 }, y.ToArray());
        Assert.Equal(new[] { 1.0, 1.0, 1.0, 1.0 }, x.ToArray());
        y.Backward(Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [2, 2]));
        Assert.Equal(new[] { 1.0, 2.0, 3.0, 4.0 }, x.Grad!.ToArray());
        Assert.Equal(new[] { 3.0, 2.0, 3.0, 4.0, 1.0, 2.0 }, source.Grad!.ToArray());
    }

    [Fact]
    public void AnIndexOutOfRangeIsRefusedNamingTheOpTheShapeAndTheRange()
    {
        var x = Tensor.Zeros<double>(2, 3);
        var gather = Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(1, [0, 3]));
        Assert.Contains("Gather along axis 1 of a float64 tensor of shape [2, 3]", gather.Message, StringComparison.Ordinal);
        Assert.Contains("index 3", gather.Message, StringComparison.Ordinal);
        Assert.Contains("[-3, 2]", gather.Message, StringComparison.Ordinal);
        var scatter = Assert.Throws<ArgumentOutOfRangeException>(() => x.ScatterAdd(0, [0, 0, -3], Tensor.Zeros<double>(1, 3)));
        Assert.Contains("ScatterAdd along axis 0", scatter.Message, StringComparison.Ordinal);
        Assert.Contains("index -3", scatter.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedCountsShapesAndAxesAreRefusedNamingTheOp()
    {
        var x = Tensor.Zeros<double>(2, 3);
        var count = Assert.Throws<ArgumentException>(() => x.Gather(1, [0, 1, 2]));
        Assert.Contains("Gather: 3 indices", count.Message, StringComparison.Ordinal);
        Assert.Contains("multiple of the 2 positions", count.Message, StringComparison.Ordinal);
        var shape = Assert.Throws<ArgumentException>(() => x.ScatterAdd(1, [0, 0], Tensor.Zeros<double>(1, 2)));
        Assert.Contains("ScatterAdd: the source", shape.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 2]", shape.Message, StringComparison.Ordinal);
        var indices = Assert.Throws<ArgumentException>(() => x.ScatterAdd(1, [0], Tensor.Zeros<double>(2, 1)));
        Assert.Contains("ScatterAdd: 1 indices for a source", indices.Message, StringComparison.Ordinal);
        var axis = Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(2, [0, 0]));
        Assert.Contains("Gather", axis.Message, StringComparison.Ordinal);
    }
}
