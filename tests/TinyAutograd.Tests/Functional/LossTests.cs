using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Functional;

/// <summary>The cross-entropy gradient by hand. Random calls of every loss with both reductions: the registry (values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class LossTests
{
    [Fact]
    public void CrossEntropyGradientIsSoftmaxMinusOneHot()
    {
        var logits = Tensor.FromArray([1.0, 2.0, 3.0], 1, 3).RequireGrad();
        Loss.CrossEntropy(logits, [2], Reduction.Sum).Backward();
        double total = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        ElementwiseComparison.Require("∂CE/∂z", logits.Grad!.Data, [Math.Exp(1) / total, Math.Exp(2) / total, Math.Exp(3) / total - 1], new Tolerance(1e-15, 1e-15));
    }

    [Fact]
    public void SmoothedCrossEntropyGradientIsSoftmaxMinusSmoothedTarget()
    {
        // ε = 0.3 over C = 3 classes: q = (0.1, 0.1, 0.8) for label 2.
        var logits = Tensor.FromArray([1.0, 2.0, 3.0], 1, 3).RequireGrad();
        Loss.CrossEntropy(logits, [2], Reduction.Sum, labelSmoothing: 0.3).Backward();
        double total = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        ElementwiseComparison.Require("∂CE/∂z", logits.Grad!.Data, [Math.Exp(1) / total - 0.1, Math.Exp(2) / total - 0.1, Math.Exp(3) / total - 0.8], new Tolerance(1e-15, 1e-15));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void LabelSmoothingOutsideTheUnitIntervalIsRefused(double smoothing)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(Tensor.Ones<double>(2, 3), [0, 1], labelSmoothing: smoothing));
        Assert.Contains("CrossEntropy", error.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", error.Message, StringComparison.Ordinal);
    }
}
