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
}
