namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>
/// Linear without a bias, and its shapes. Random calls with a bias (values against the definition, gradients, second
/// order, tangents and the fused backward): the registry (OpRegistry).
/// </summary>
public sealed class LinearTests
{
    [Fact]
    public void WithoutABiasItIsTheProductByTheTransposedWeight()
    {
        var random = new RandomSource(5);
        var x = random.Normal<double>([2, 3, 4]);
        var weight = random.Normal<double>([5, 4]);
        var product = x.MatMul(weight, transposeRight: true);
        var linear = x.Linear(weight);
        Assert.Equal(product.Shape, linear.Shape);
        Assert.Equal(product.ToArray(), linear.ToArray());
    }

    [Fact]
    public void ShapesFollowTheInputsLeadingAxes()
    {
        var weight = Tensor.Ones<double>(5, 4);
        var bias = Tensor.Ones<double>(5);
        Assert.Equal(new Shape(5), Tensor.Ones<double>(4).Linear(weight, bias).Shape);
        Assert.Equal(new Shape(3, 5), Tensor.Ones<double>(3, 4).Linear(weight, bias).Shape);
        Assert.Equal(new Shape(2, 3, 5), Tensor.Ones<double>(2, 3, 4).Linear(weight, bias).Shape);
    }
}
