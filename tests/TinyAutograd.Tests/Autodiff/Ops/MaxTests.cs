namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Max at ties, which the registry's values avoid (values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class MaxTests
{
    [Fact]
    public void TiesSplitTheGradientEvenlyWithinEachSlice()
    {
        var x = Tensor.FromArray([1.0, 3.0, 3.0, 7.0, 7.0, 7.0], 2, 3).RequireGrad();
        x.Max(1).Backward(Tensor.FromArray([1.0, 6.0]));
        Assert.Equal(new[] { 0.0, 0.5, 0.5, 2.0, 2.0, 2.0 }, x.Grad!.ToArray());
    }
}
