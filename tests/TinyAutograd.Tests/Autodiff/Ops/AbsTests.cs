namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Abs at its kink, which the registry's values avoid (random values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class AbsTests
{
    [Fact]
    public void GradientIsTheSignWithZeroAtZero()
    {
        var x = Tensor.FromArray([-2.0, 0.0, 3.0]).RequireGrad();
        x.Abs().Sum().Backward();
        Assert.Equal(new[] { -1.0, 0.0, 1.0 }, x.Grad!.ToArray());
    }
}
