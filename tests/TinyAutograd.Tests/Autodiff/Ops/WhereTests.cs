namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Where does not differentiate its condition. Random broadcast calls: the registry (values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class WhereTests
{
    [Fact]
    public void NoGradientFlowsIntoTheCondition()
    {
        var condition = Tensor.FromArray([1.0, 0.0]).RequireGrad();
        var a = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        Tensor.Where(condition, a, Tensor.Scalar(0.0)).Sum().Backward();
        Assert.Null(condition.Grad);
        Assert.Equal(new[] { 1.0, 0.0 }, a.Grad!.ToArray());
    }
}
