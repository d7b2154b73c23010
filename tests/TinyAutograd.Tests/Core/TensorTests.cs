namespace TinyAutograd.Tests.Core;

/// <summary>Creation, element access, copies and aliases, and formatting of tensors.</summary>
public sealed class TensorTests
{
    [Fact]
    public void FromArrayCopiesTheValuesAndChecksTheCount()
    {
        var values = new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 };
        var x = Tensor.FromArray(values, 2, 3);
        values[0] = 100;
        Assert.Equal(new Shape(2, 3), x.Shape);
        Assert.Equal(1.0, x[0, 0]);
        Assert.Equal(6.0, x[1, 2]);
        Assert.Equal(new Shape(6), Tensor.FromArray(values).Shape);
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray(values, 4, 2));
        Assert.Contains("6 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTwoDimensionalArrayKeepsRowsAndColumns()
    {
        var x = Tensor.FromArray(new[,] { { 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0 } });
        Assert.Equal(new Shape(2, 3), x.Shape);
        Assert.Equal(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }, x.ToArray());
    }

    [Fact]
    public void ConstantCreatorsFillAsNamed()
    {
        Assert.Equal(Shape.Scalar, Tensor.Scalar(2.5).Shape);
        Assert.Equal(2.5, Tensor.Scalar(2.5).ToScalar());
        Assert.Equal(new[] { 0.0, 0.0 }, Tensor.Zeros<double>(2).ToArray());
        Assert.Equal(new[] { 1f, 1f, 1f }, Tensor.Ones<float>(3).ToArray());
        Assert.Equal(new[] { 7.0, 7.0, 7.0, 7.0 }, Tensor.Full(7.0, 2, 2).ToArray());
        Assert.Equal(0, Tensor.Zeros<double>(3, 0).Length);
    }

    [Fact]
    public void ArangeStopsBeforeStopAndComputesEachElementDirectly()
    {
        Assert.Equal(new[] { 0.0, 1.0, 2.0 }, Tensor.Arange<double>(0, 3).ToArray());
        Assert.Equal(new[] { 1.0, 0.5, 0.0, -0.5 }, Tensor.Arange<double>(1, -1, -0.5).ToArray());
        Assert.Empty(Tensor.Arange<double>(3, 0).ToArray());
        var tenths = Tensor.Arange<double>(0, 1, 0.1).ToArray();
        Assert.Equal(10, tenths.Length);
        Assert.Equal(0.1 * 7, tenths[7]);
        Assert.Throws<ArgumentException>(() => Tensor.Arange<double>(0, 1, 0));
    }

    [Fact]
    public void IndexerAcceptsNegativeCoordinatesAndToScalarNeedsOneElement()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2);
        Assert.Equal(4.0, x[-1, -1]);
        Assert.Equal(2.0, x[0, -1]);
        Assert.Equal(5.0, Tensor.FromArray([5.0], 1, 1).ToScalar());
        var error = Assert.Throws<InvalidOperationException>(() => x.ToScalar());
        Assert.Contains("4 elements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CloneCopiesAndDetachShares()
    {
        var x = Tensor.FromArray([1.0, 2.0]);
        var clone = x.Clone();
        var alias = x.Detach();
        x.GetSpanForWrite()[0] = 10;
        Assert.Equal(1.0, clone[0]);
        Assert.Equal(10.0, alias[0]);
    }

    [Fact]
    public void OnlyLeavesCanChangeRequiresGradAndGradMustMatchTheShape()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        Assert.True(x.RequiresGrad && x.IsLeaf);
        var y = x.Exp();
        Assert.False(y.IsLeaf);
        Assert.Contains("Exp", Assert.Throws<InvalidOperationException>(() => y.RequireGrad(false)).Message, StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => x.Grad = Tensor.Zeros<double>(3));
        Assert.Contains("[3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringShowsValuesShapeTypeAndGradientStatus()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2);
        Assert.Equal("tensor([[1, 2], [3, 4]], shape=[2, 2], float64)", x.ToString());
        Assert.Equal("tensor([0.5, 1.5], shape=[2], float32, requires_grad)", Tensor.FromArray([0.5f, 1.5f]).RequireGrad().ToString());
        Assert.Equal("tensor(2, shape=[], float64)", Tensor.Scalar(2.0).ToString());
        Assert.Contains("op=Exp", x.RequireGrad().Exp().ToString(), StringComparison.Ordinal);
        Assert.Contains("…", Tensor.Arange<double>(0, 100).ToString(), StringComparison.Ordinal);
    }
}
