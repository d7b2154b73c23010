namespace TinyAutograd.Tests.Autodiff;

/// <summary>The function transforms compute gradients without touching any tensor's accumulated .Grad.</summary>
public sealed class GradientIsolationTests
{
    [Fact]
    public void GradientDoesNotTouchGradOfClosureCapturedParameters()
    {
        var weights = Tensor.FromArray([2.0, -1.0]).RequireGrad();
        var bias = Tensor.Scalar(0.5).RequireGrad();
        var earlier = Tensor.FromArray([7.0, 7.0]);
        weights.Grad = earlier;
        var x = Tensor.FromArray([3.0, 4.0]).RequireGrad();

        var gradient = AutoDiff.Gradient(input => ((input * weights).Sum() + bias).Square(), x);

        // f = (w·x + b)²; ∂f/∂x = 2(w·x + b)·w with w·x + b = 6 − 4 + 0.5 = 2.5.
        Assert.Equal(new[] { 10.0, -5.0 }, gradient.ToArray());
        Assert.Same(earlier, weights.Grad);
        Assert.Equal(new[] { 7.0, 7.0 }, weights.Grad!.ToArray());
        Assert.Null(bias.Grad);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void ValueAndGradientsLeaveInputsAndCapturedTensorsAlone()
    {
        var scale = Tensor.Scalar(3.0).RequireGrad();
        var a = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var b = Tensor.FromArray([0.5, -0.5]).RequireGrad();
        var (value, gradients) = AutoDiff.ValueAndGradients(xs => (xs[0] * xs[1]).Sum() * scale, [a, b]);
        Assert.Equal(3.0 * (0.5 - 1.0), value.ToScalar());
        Assert.Equal(new[] { 1.5, -1.5 }, gradients[0].ToArray());
        Assert.Equal(new[] { 3.0, 6.0 }, gradients[1].ToArray());
        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
        Assert.Null(scale.Grad);
    }
}
