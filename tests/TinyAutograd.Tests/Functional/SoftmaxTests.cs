using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Functional;

/// <summary>Softmax's default axis. Random axes: the registry (values, gradients, second order and the fused backward: OpRegistry); extreme values: NumericalStabilityTests.</summary>
public sealed class SoftmaxTests
{
    [Fact]
    public void DefaultAxisIsTheLast()
    {
        var x = Tensor.FromArray([0.0, Math.Log(3.0), 1.0, 1.0], 2, 2);
        ElementwiseComparison.Require("Softmax()", x.Softmax().Data, [0.25, 0.75, 0.5, 0.5], new Tolerance(1e-15, 0));
    }
}
