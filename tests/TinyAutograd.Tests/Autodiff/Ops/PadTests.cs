namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Pad by hand and what it refuses; random calls, gradients and second order: the registry (OpRegistry).</summary>
public sealed class PadTests
{
    [Fact]
    public void PadsWithTheConstantAndPassesTheGradientOfTheOriginalElementsOnly()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [2, 2]).RequireGrad();
        var y = x.Pad(1, 1, 2, value: -1);
        Assert.Equal(new Shape(2, 5), y.Shape);
        Assert.Equal(new[] { -1.0, 1.0, 2.0, -1.0, -1.0, -1.0, 3.0, 4.0, -1.0, -1.0 }, y.ToArray());
        y.Backward(Tensor.FromArray([.. Enumerable.Range(0, 10).Select(i => (double)i)], [2, 5]));
        Assert.Equal(new[] { 1.0, 2.0, 6.0, 7.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void ANegativeWidthOrAnAxisOutOfRangeIsRefusedNamingTheOp()
    {
        var x = Tensor.Zeros<double>(2, 3);
        var width = Assert.Throws<ArgumentOutOfRangeException>(() => x.Pad(0, 1, -2));
        Assert.Contains("Pad: the widths before = 1 and after = -2 along axis 0 of a float64 tensor of shape [2, 3]", width.Message, StringComparison.Ordinal);
        Assert.Contains("at least 0", width.Message, StringComparison.Ordinal);
        var axis = Assert.Throws<ArgumentOutOfRangeException>(() => x.Pad(2, 1, 1));
        Assert.Contains("Pad", axis.Message, StringComparison.Ordinal);
    }
}
