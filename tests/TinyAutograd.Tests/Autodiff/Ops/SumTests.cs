namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Sum of an empty tensor. Random reductions: the registry (values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class SumTests
{
    [Fact]
    public void SumOfAnEmptyTensorIsZero()
    {
        Assert.Equal(0.0, Tensor.Zeros<double>(0, 3).Sum().ToScalar());
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, Tensor.Zeros<double>(0, 3).Sum(0).ToArray());
    }
}
