namespace TinyAutograd.Tests.Api;

/// <summary>The misuse calls a probe of the public API made: each gets the exception the API documents, naming the culprit.</summary>
public sealed class ApiEdgeTests
{
    private static readonly Tensor<double> X = Tensor.Zeros<double>(2);

    [Fact]
    public void AddingNullNamesTheOperand()
    {
        var error = Assert.Throws<ArgumentNullException>(() => X + (Tensor<double>)null!);

        Assert.Equal("right", error.ParamName);
    }

    [Fact]
    public void WhereWithANullConditionNamesIt()
    {
        var error = Assert.Throws<ArgumentNullException>(() => Tensor.Where(null!, X, X));

        Assert.Equal("condition", error.ParamName);
    }

    [Fact]
    public void FromArrayWithANullShapeNamesIt()
    {
        var error = Assert.Throws<ArgumentNullException>(() => Tensor.FromArray(new double[2], (int[])null!));

        Assert.Equal("shape", error.ParamName);
    }

    [Fact]
    public void ConcatenatingANullTensorNamesTheListAndThePosition()
    {
        var error = Assert.Throws<ArgumentNullException>(() => Tensor.Concatenate(0, X, null!));

        Assert.Equal("tensors", error.ParamName);
        Assert.Contains("tensors[1] is null", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void AShapeIndexFromTheEndOutOfRangeIsAnArgumentOutOfRangeException(int fromEnd)
    {
        var shape = new Shape(2, 3);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => shape[^fromEnd]);

        Assert.Contains($"^{fromEnd}", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, shape[^2]);
    }

    [Theory]
    [InlineData("Softmax")]
    [InlineData("LogSoftmax")]
    public void SoftmaxOverAnEmptyAxisNamesTheOpThatWasCalled(string op)
    {
        var empty = Tensor.Zeros<double>(2, 0);

        var error = Assert.Throws<ArgumentException>(() => op == "Softmax" ? empty.Softmax(1) : empty.LogSoftmax(1));

        Assert.StartsWith(op + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LogSumExp", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 0]", error.Message, StringComparison.Ordinal);
    }
}
