namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Relu at its kink, which the registry's values avoid (random values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class ReluTests
{
    [Fact]
    public void GradientIsOneForPositiveAndZeroAtAndBelowZero()
    {
        var x = Tensor.FromArray([-2.0, 0.0, 3.0]).RequireGrad();
        x.Relu().Sum().Backward();
        Assert.Equal(new[] { 0.0, 0.0, 1.0 }, x.Grad!.ToArray());
    }
}
