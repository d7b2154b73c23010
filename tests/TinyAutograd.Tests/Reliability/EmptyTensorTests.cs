namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// Empty tensors (a zero dimension) flow through every op with the NumPy behaviour: sums of nothing are 0, results
/// keep their empty shapes, gradients have the inputs' shapes. Reductions without a value over nothing (mean, max,
/// log-sum-exp, softmax, a loss's mean over no examples) refuse with an ArgumentException naming the op.
/// </summary>
public sealed class EmptyTensorTests
{
    private static Tensor<double> Empty(params int[] shape) => Tensor.Zeros<double>(shape).RequireGrad();

    [Fact]
    public void EmptyTensorsAreCreatedWithTheirShapesAndHaveNoScalarValue()
    {
        Assert.Equal(new Shape(0), Tensor.FromArray(Array.Empty<double>()).Shape);
        Assert.Equal(new Shape(2, 0, 3), Tensor.Ones<float>(2, 0, 3).Shape);
        Assert.Equal(0, Tensor.Full(7.0, 0, 4).Length);
        Assert.Equal(0, Tensor.Arange<double>(3, 3).Length);
        Assert.Empty(Tensor.Normal<double>([0, 5], seed: 1).ToArray());

        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros<double>(0).ToScalar());
        Assert.Contains("0 elements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackwardFromAnEmptyTensorNeedsASeedLikeAnyNonScalar()
    {
        var x = Empty(0, 2);

        var error = Assert.Throws<InvalidOperationException>(() => (x * 2.0).Backward());

        Assert.Contains("not a scalar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SumOfNothingIsZeroWithAnEmptyGradient()
    {
        var x = Empty(0, 3);

        var total = x.Sum();
        total.Backward();

        Assert.Equal(0.0, total.ToScalar());
        Assert.Equal(new Shape(0, 3), x.Grad!.Shape);
        Assert.Equal(new double[3], x.Sum(0).ToArray());
        Assert.Equal(new Shape(1, 3), x.Sum(0, keepDims: true).Shape);
        Assert.Equal(new Shape(0), x.Sum(1).Shape);
    }

    [Theory]
    [InlineData("Mean")]
    [InlineData("Max")]
    [InlineData("LogSumExp")]
    public void ReductionsWithoutAValueOverNothingRefuseEmptySlicesAndKeepEmptyResults(string operation)
    {
        Func<Tensor<double>, int[], Tensor<double>> reduce = operation switch
        {
            "Mean" => (x, axes) => x.Mean(axes),
            "Max" => (x, axes) => x.Max(axes),
            _ => (x, axes) => x.LogSumExp(axes),
        };
        var x = Empty(0, 3);

        foreach (var axes in new[] { Array.Empty<int>(), [0], [0, 1], [-2] })
        {
            var error = Assert.Throws<ArgumentException>(() => reduce(x, axes));
            Assert.Contains($"{operation}: reducing axes", error.Message, StringComparison.Ordinal);
            Assert.Contains("[0, 3]", error.Message, StringComparison.Ordinal);
        }
        var noSlices = reduce(x, [1]);
        noSlices.Backward(Tensor.Zeros<double>(0));

        Assert.Equal(new Shape(0), noSlices.Shape);
        Assert.Equal(new Shape(0, 3), x.Grad!.Shape);
    }

    [Fact]
    public void SoftmaxOfAnEmptyAxisIsRefusedAndOfNoRowsIsEmpty()
    {
        var error = Assert.Throws<ArgumentException>(() => Empty(2, 0).Softmax(1));
        Assert.StartsWith("Softmax:", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 0]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Empty(2, 0).LogSoftmax(-1));

        var x = Empty(0, 4);
        var softmax = x.Softmax(1);
        softmax.Backward(Tensor.Zeros<double>(0, 4));

        Assert.Equal(new Shape(0, 4), softmax.Shape);
        Assert.Equal(new Shape(0, 4), x.LogSoftmax(-1).Shape);
        Assert.Equal(new Shape(0, 4), x.Grad!.Shape);
    }

    [Fact]
    public void MatMulWithAnEmptyInnerDimensionIsZeroAndItsGradientsAreEmpty()
    {
        var a = Empty(2, 0);
        var b = Empty(0, 3);

        var product = a.MatMul(b);
        (product * Tensor.Ones<double>(2, 3)).Sum().Backward();

        Assert.Equal(new Shape(2, 3), product.Shape);
        Assert.Equal(new double[6], product.ToArray());
        Assert.Equal(new Shape(2, 0), a.Grad!.Shape);
        Assert.Equal(new Shape(0, 3), b.Grad!.Shape);
    }

    [Fact]
    public void MatMulWithAnEmptyOuterDimensionIsEmpty()
    {
        var a = Empty(0, 4);
        var b = Tensor.Ones<double>(4, 3).RequireGrad();

        var product = a.MatMul(b);
        product.Sum().Backward();

        Assert.Equal(new Shape(0, 3), product.Shape);
        Assert.Equal(new double[12], b.Grad!.ToArray());
        Assert.Equal(new Shape(0), Tensor.Zeros<double>(4).MatMul(Tensor.Zeros<double>(4, 0)).Shape);
        Assert.Equal(new Shape(5, 0, 2), Tensor.MatMul(Empty(5, 0, 3), Empty(5, 3, 2)).Shape);
    }

    [Fact]
    public void ReshapeOfAnEmptyTensorInfersOnlyWhenTheAnswerIsUnique()
    {
        var x = Empty(0, 6);

        Assert.Equal(new Shape(3, 0, 2), x.Reshape(3, -1, 2).Shape);
        Assert.Equal(new Shape(0, 2, 3), x.Reshape(-1, 2, 3).Shape);
        var error = Assert.Throws<ArgumentException>(() => x.Reshape(0, -1));
        Assert.Contains("Reshape", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => x.Reshape(1));
    }

    [Fact]
    public void SlicesOfLengthZeroAreEmptyAndGiveZeroGradients()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3).RequireGrad();

        var atStart = x.Slice(1, 0, 0);
        var atEnd = x.Slice(1, 3, 0);
        (atStart.Sum() + atEnd.Sum() + x.Slice(0, 1, 1).Sum()).Backward();

        Assert.Equal(new Shape(2, 0), atStart.Shape);
        Assert.Equal(new Shape(2, 0), atEnd.Shape);
        Assert.Equal([0.0, 0.0, 0.0, 1.0, 1.0, 1.0], x.Grad!.ToArray());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(1, 4, 0));
        Assert.Contains("Slice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConcatenateAndStackAcceptEmptyParts()
    {
        var full = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2).RequireGrad();
        var empty = Empty(0, 2);

        var joined = Tensor.Concatenate(0, empty, full, empty);
        (joined * Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2)).Sum().Backward();

        Assert.Equal(full.ToArray(), joined.ToArray());
        Assert.Equal([1.0, 2.0, 3.0, 4.0], full.Grad!.ToArray());
        Assert.Equal(new Shape(0, 2), empty.Grad!.Shape);
        Assert.Equal(new Shape(2, 0), Tensor.Stack(0, Empty(0), Empty(0)).Shape);
        Assert.Equal(new Shape(0, 5), Tensor.Concatenate(0, Empty(0, 5), Empty(0, 5)).Shape);
    }

    [Fact]
    public void IndexSelectWithNoIndicesIsEmptyAndIntoAnEmptyAxisIsRefused()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0], 3).RequireGrad();

        var none = x.IndexSelect(0, []);
        none.Sum().Backward();

        Assert.Equal(new Shape(0), none.Shape);
        Assert.Equal(new double[3], x.Grad!.ToArray());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Empty(0, 3).IndexSelect(0, [0]));
        Assert.Contains("axis of size 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ElementwiseOpsBroadcastOverEmptyAxes()
    {
        var x = Empty(0, 3);
        var row = Tensor.FromArray([1.0, 2.0, 3.0]).RequireGrad();

        var result = (x * row + row).Exp();
        result.Sum().Backward();

        Assert.Equal(new Shape(0, 3), result.Shape);
        Assert.Equal(new double[3], row.Grad!.ToArray());
        Assert.Equal(new Shape(3, 0), x.Transpose().Shape);
        Assert.Throws<ArgumentException>(() => x + Tensor.Zeros<double>(2, 3));
    }

    [Fact]
    public void LossesOverNoExamplesRefuseTheMeanAndSumToZero()
    {
        var logits = Empty(0, 4);
        var targets = Tensor.Zeros<double>(0, 4);

        AssertMeanRefused("CrossEntropy", () => Loss.CrossEntropy(logits, ReadOnlySpan<int>.Empty));
        AssertMeanRefused("CrossEntropy", () => Loss.CrossEntropy(logits, targets));
        AssertMeanRefused("SquaredError", () => Loss.SquaredError(logits, targets));
        AssertMeanRefused("BinaryCrossEntropyWithLogits", () => Loss.BinaryCrossEntropyWithLogits(logits, targets));

        var sum = Loss.CrossEntropy(logits, ReadOnlySpan<int>.Empty, Reduction.Sum) + Loss.SquaredError(logits, targets, Reduction.Sum);
        sum.Backward();

        Assert.Equal(0.0, sum.ToScalar());
        Assert.Equal(new Shape(0, 4), logits.Grad!.Shape);
    }

    private static void AssertMeanRefused(string loss, Func<Tensor<double>> action)
    {
        var error = Assert.Throws<ArgumentException>(action);
        Assert.StartsWith($"{loss}: Reduction.Mean over zero terms", error.Message, StringComparison.Ordinal);
    }
}
