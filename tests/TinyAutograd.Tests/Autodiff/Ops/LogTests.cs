namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Log at and below 0, outside the registry's domain (random values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class LogTests
{
    [Fact]
    public void LogOfZeroIsNegativeInfinityAndOfNegativeIsNaN()
    {
        var y = Tensor.FromArray([0.0, -1.0]).Log();
        Assert.Equal(double.NegativeInfinity, y[0]);
        Assert.True(double.IsNaN(y[1]));
    }
}
