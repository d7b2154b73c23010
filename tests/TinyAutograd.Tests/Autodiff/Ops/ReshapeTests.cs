namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Reshape shares storage. Random reshapes: the registry (values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class ReshapeTests
{
    [Fact]
    public void SharesStorageWithTheInput()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3);
        var y = x.Reshape(3, -1);
        Assert.Equal(new Shape(3, 2), y.Shape);
        x.GetSpanForWrite()[5] = 60;
        Assert.Equal(60.0, y[2, 1]);
    }
}
