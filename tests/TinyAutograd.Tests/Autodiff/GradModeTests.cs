namespace TinyAutograd.Tests.Autodiff;

/// <summary>GradMode scopes (no_grad) and Detach.</summary>
public sealed class GradModeTests
{
    [Fact]
    public void DisabledScopeProducesResultsThatDoNotRequireGrad()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        Tensor<double> y;
        using (GradMode.Disable())
        {
            Assert.False(GradMode.IsEnabled);
            y = (x * x).Exp().Sum();
        }
        Assert.True(GradMode.IsEnabled);
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.Equal(Math.Exp(1) + Math.Exp(4), y.ToScalar(), 1e-12);
    }

    [Fact]
    public void ScopesNestAndRestoreThePreviousState()
    {
        using (GradMode.Disable())
        {
            using (GradMode.Enable())
            {
                Assert.True(GradMode.IsEnabled);
                Assert.True((Tensor.Scalar(1.0).RequireGrad() * 2.0).RequiresGrad);
            }
            Assert.False(GradMode.IsEnabled);
        }
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void DetachCutsTheGraphAndSharesTheValues()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0]).RequireGrad();
        var constant = x.Detach();
        Assert.False(constant.RequiresGrad);
        Assert.True(constant.IsLeaf);
        Assert.Equal(x.ToArray(), constant.ToArray());
        // d/dx (c ⊙ x) with c = x held constant is c, not 2x.
        (constant * x).Sum().Backward();
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void DetachOfAnIntermediateStopsGradientsUpstream()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var hidden = x.Exp();
        var y = (hidden.Detach() * 2.0).Sum() + (x * 5.0).Sum();
        y.Backward();
        Assert.Equal(new[] { 5.0, 5.0 }, x.Grad!.ToArray());
    }
}
