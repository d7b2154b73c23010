namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>IndexSelect by hand: repeated picks add up in the gradient. Random calls: the registry (values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class IndexSelectTests
{
    [Fact]
    public void RepeatedPicksAddUpInTheGradient()
    {
        var x = Tensor.FromArray([10.0, 20.0, 30.0]).RequireGrad();
        x.IndexSelect(0, [2, 0, 2, -1]).Backward(Tensor.FromArray([1.0, 2.0, 4.0, 8.0]));
        Assert.Equal(new[] { 2.0, 0.0, 13.0 }, x.Grad!.ToArray());
    }
}
