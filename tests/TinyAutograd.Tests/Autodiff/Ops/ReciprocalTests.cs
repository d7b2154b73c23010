namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Reciprocal and c / x at the pole, which the registry's values avoid (values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class ReciprocalTests
{
    [Fact]
    public void ValuesFollowIeeeDivision()
    {
        var x = Tensor.FromArray([4.0, -0.5, 0.0]);
        Assert.Equal(new[] { 0.25, -2.0, double.PositiveInfinity }, x.Reciprocal().ToArray());
        Assert.Equal(new[] { 0.75, -6.0, double.PositiveInfinity }, (3.0 / x).ToArray());
    }
}
