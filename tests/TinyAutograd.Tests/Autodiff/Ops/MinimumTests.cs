namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Minimum at ties, which the registry's values avoid (random values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class MinimumTests
{
    [Fact]
    public void TiesSplitTheGradientEvenly()
    {
        var a = Tensor.FromArray([1.0, 2.0, 5.0]).RequireGrad();
        var b = Tensor.FromArray([1.0, 3.0, 4.0]).RequireGrad();
        a.Minimum(b).Sum().Backward();
        Assert.Equal(new[] { 0.5, 1.0, 0.0 }, a.Grad!.ToArray());
        Assert.Equal(new[] { 0.5, 0.0, 1.0 }, b.Grad!.ToArray());
    }
}
