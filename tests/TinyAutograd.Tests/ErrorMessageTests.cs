namespace TinyAutograd.Tests;

/// <summary>
/// Bad input gets an exception whose message names the op and the shapes or values involved. Only the key fragments
/// are asserted, not the whole text.
/// </summary>
public sealed class ErrorMessageTests
{
    private static void RequireFragments(Exception error, params string[] fragments)
    {
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void BroadcastMismatchNamesTheOpAndBothShapes()
    {
        var a = Tensor.Ones<double>(2, 3);
        var b = Tensor.Ones<double>(4);
        RequireFragments(Assert.Throws<ArgumentException>(() => a + b), "Add", "[2, 3]", "[4]");
        RequireFragments(Assert.Throws<ArgumentException>(() => a * b), "Multiply", "[2, 3]", "[4]");
        RequireFragments(Assert.Throws<ArgumentException>(() => a.Maximum(b)), "Maximum", "[2, 3]", "[4]");
        RequireFragments(Assert.Throws<ArgumentException>(() => a.Pow(b)), "Pow", "[2, 3]", "[4]");
        RequireFragments(Assert.Throws<ArgumentException>(() => Tensor.Where(a, a, b)), "Where", "[2, 3]", "[4]");
        RequireFragments(Assert.Throws<ArgumentException>(() => b.BroadcastTo(new Shape(2, 3))), "BroadcastTo", "[4]", "[2, 3]");
    }

    [Fact]
    public void LossesRefuseMismatchedPredictionAndTargetShapes()
    {
        var predictions = Tensor.Ones<double>(3);
        var column = Tensor.Ones<double>(3, 1);
        RequireFragments(Assert.Throws<ArgumentException>(() => Loss.SquaredError(predictions, column)), "SquaredError", "[3]", "[3, 1]");
        RequireFragments(Assert.Throws<ArgumentException>(() => Loss.BinaryCrossEntropyWithLogits(column, predictions)), "BinaryCrossEntropyWithLogits", "[3, 1]", "[3]");
        RequireFragments(Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Ones<double>(2, 3), Tensor.Ones<double>(3, 2))), "CrossEntropy", "[2, 3]", "[3, 2]");
        RequireFragments(Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Ones<double>(2, 3), [0, 1, 2])), "CrossEntropy", "[2, 3]", "3 labels");
    }

    [Fact]
    public void InvalidAxisNamesTheOpTheAxisAndTheRank()
    {
        var x = Tensor.Ones<double>(2, 3);
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.Sum(2)), "Sum", "axis 2", "rank 2");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.Max(-3)), "Max", "axis -3", "rank 2");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.Softmax(5)), "Softmax", "axis 5", "rank 2");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.LogSoftmax(-3)), "LogSoftmax", "axis -3", "rank 2");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.Mean(2)), "Mean", "axis 2", "rank 2");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(2, 0, 1)), "Slice", "axis 2");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Concatenate(3, x, x)), "Concatenate", "axis 3");
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Sum([1, -1])), "Sum", "listed twice");
    }

    [Fact]
    public void ClassLabelOutOfRangeNamesTheLabelAndTheValidRange()
    {
        var logits = Tensor.Ones<double>(2, 3);
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(logits, [0, 3])), "CrossEntropy", "label 3", "example 1", "[0, 2]");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(logits, [-1, 0])), "CrossEntropy", "label -1");
    }

    [Fact]
    public void ReductionsWithNoValueOverZeroElementsRefuseEmptyInput()
    {
        var empty = Tensor.Zeros<double>(0);
        RequireFragments(Assert.Throws<ArgumentException>(() => empty.Mean()), "Mean", "[0]", "zero elements");
        RequireFragments(Assert.Throws<ArgumentException>(() => empty.Max()), "Max", "[0]");
        RequireFragments(Assert.Throws<ArgumentException>(() => empty.LogSumExp()), "LogSumExp", "[0]");
        RequireFragments(Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 0).Max(1)), "Max", "[2, 0]");
    }

    [Fact]
    public void DotOfDifferentShapesNamesBothAndDoesNotBroadcast()
    {
        var a = Tensor.Ones<double>(2, 3).RequireGrad();
        RequireFragments(Assert.Throws<ArgumentException>(() => a.Dot(Tensor.Ones<double>(3))), "Dot", "[2, 3]", "[3]", "same shape");
        RequireFragments(Assert.Throws<ArgumentException>(() => a.Dot(Tensor.Ones<double>(3, 2))), "Dot", "[2, 3]", "[3, 2]");
    }

    [Fact]
    public void MatMulInnerSizeMismatchNamesBothShapesAndSizes()
    {
        var a = Tensor.Ones<double>(2, 3);
        var b = Tensor.Ones<double>(4, 5);
        RequireFragments(Assert.Throws<ArgumentException>(() => a.MatMul(b)), "MatMul", "[2, 3]", "[4, 5]", "3 and 4");
        RequireFragments(Assert.Throws<ArgumentException>(() => Tensor.MatMul(a, b, transposeRight: true)), "MatMul", "[4, 5] (transposed)", "3 and 5");
        RequireFragments(Assert.Throws<ArgumentException>(() => a.MatMul(Tensor.Ones<double>(4))), "MatMul", "3 and 4");
        RequireFragments(Assert.Throws<ArgumentException>(() => Tensor.Ones<double>(2, 2, 3).MatMul(Tensor.Ones<double>(3, 3, 1))), "MatMul", "[2]", "[3]");
        RequireFragments(Assert.Throws<ArgumentException>(() => Tensor.Scalar(2.0).MatMul(a)), "MatMul", "[]", "[2, 3]");
    }

    [Fact]
    public void LinearNamesTheOperandThatDoesNotFitTheWeight()
    {
        var x = Tensor.Ones<double>(2, 3);
        var weight = Tensor.Ones<double>(4, 3);
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Linear(Tensor.Ones<double>(4, 3, 1))), "Linear", "weight", "[4, 3, 1]", "[out, in]");
        RequireFragments(Assert.Throws<ArgumentException>(() => Tensor.Ones<double>(2, 5).Linear(weight)), "Linear", "input", "[2, 5]", "[*, 3]", "[4, 3]");
        RequireFragments(Assert.Throws<ArgumentException>(() => Tensor.Scalar(1.0).Linear(weight)), "Linear", "input", "[]", "[*, 3]");
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Linear(weight, Tensor.Ones<double>(3))), "Linear", "bias", "[3]", "[4]");
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Linear(weight, Tensor.Ones<double>(1, 4))), "Linear", "bias", "[1, 4]", "[4]");
    }

    [Fact]
    public void ReshapeToAWrongElementCountNamesBothCounts()
    {
        var x = Tensor.Ones<double>(2, 3);
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Reshape(4)), "Reshape", "6 elements", "[4]");
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Reshape(4, -1)), "Reshape", "6 elements", "[4, -1]");
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1)), "Reshape", "at most one");
    }

    [Fact]
    public void SliceOutOfRangeNamesTheRangeAndTheAxisSize()
    {
        var x = Tensor.Ones<double>(4, 2);
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(0, 2, 3)), "Slice", "[2, 5)", "size 4");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(1, -1, 1)), "Slice", "[-1, 0)", "size 2");
    }

    [Fact]
    public void IndexOutOfRangeNamesTheIndexAndTheAxisSize()
    {
        var x = Tensor.Ones<double>(3, 2);
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, [1, 5])), "IndexSelect", "index 5", "position 1", "size 3");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(1, [-3])), "IndexSelect", "index -3", "size 2");
        RequireFragments(Assert.Throws<ArgumentOutOfRangeException>(() => x[3, 0]), "Indexer", "coordinate 3", "axis 0");
        RequireFragments(Assert.Throws<ArgumentException>(() => x[1]), "Indexer", "1 coordinates", "expected 2");
    }

    [Fact]
    public void PermuteWithANonPermutationNamesTheAxesGiven()
    {
        var x = Tensor.Ones<double>(2, 3, 4);
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Permute(0, 0, 1)), "Permute", "[0, 0, 1]", "not a permutation");
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Permute(0, 1)), "Permute", "[0, 1]", "3 axes");
        RequireFragments(Assert.Throws<ArgumentException>(() => x.Permute(0, 1, 3)), "Permute", "[0, 1, 3]");
    }

    [Fact]
    public void ConcatenateAndStackNameTheMismatchedShapes()
    {
        RequireFragments(Assert.Throws<ArgumentException>(() => Tensor.Concatenate(0, Tensor.Ones<double>(2, 3), Tensor.Ones<double>(2, 4))), "Concatenate", "[2, 4]", "[2, 3]");
        RequireFragments(Assert.Throws<ArgumentException>(() => Tensor.Stack(0, Tensor.Ones<double>(2), Tensor.Ones<double>(3))), "Stack", "[3]", "[2]");
    }
}
