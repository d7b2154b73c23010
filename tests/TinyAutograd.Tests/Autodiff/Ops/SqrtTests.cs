namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Sqrt's gradient at 0, outside the registry's domain (random values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class SqrtTests
{
    [Fact]
    public void GradientAtZeroIsPositiveInfinity()
    {
        var x = Tensor.FromArray([0.0, 4.0]).RequireGrad();
        x.Sqrt().Sum().Backward();
        Assert.Equal(new[] { double.PositiveInfinity, 0.25 }, x.Grad!.ToArray());
    }
}
