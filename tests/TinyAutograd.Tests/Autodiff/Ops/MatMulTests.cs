namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>MatMul's result shapes in the NumPy forms. Random calls with every form and transpose: the registry (values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class MatMulTests
{
    [Fact]
    public void ResultShapesFollowNumPy()
    {
        var matrix = Tensor.Ones<double>(2, 3);
        var vector = Tensor.Ones<double>(3);
        Assert.Equal(new Shape(2), matrix.MatMul(vector).Shape);
        Assert.Equal(new Shape(2), vector.MatMul(Tensor.Ones<double>(3, 2)).Shape);
        Assert.Equal(Shape.Scalar, vector.MatMul(vector).Shape);
        Assert.Equal(new Shape(5, 4, 2, 2), Tensor.Ones<double>(5, 1, 2, 3).MatMul(Tensor.Ones<double>(4, 3, 2)).Shape);
    }
}
