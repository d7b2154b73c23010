namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Division by zero (random values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class DivideTests
{
    [Fact]
    public void MethodFormEqualsOperatorAndDivisionByZeroFollowsIeee()
    {
        var a = Tensor.FromArray([1.0, -1.0, 0.0]);
        var b = Tensor.FromArray([0.0, 0.0, 0.0]);
        var q = a.Divide(b);
        Assert.Equal(double.PositiveInfinity, q[0]);
        Assert.Equal(double.NegativeInfinity, q[1]);
        Assert.True(double.IsNaN(q[2]));
    }
}
