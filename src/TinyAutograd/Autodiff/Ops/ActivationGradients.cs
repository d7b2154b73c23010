using System.Numerics;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// g·y·(1 − y), the sigmoid's backward fused into one pass, as a differentiable op of (g, y) so that second
/// derivatives still flow: ∂/∂g = y(1 − y), ∂/∂y = g(1 − 2y).
/// </summary>
internal sealed class SigmoidGradientNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private SigmoidGradientNode(Tensor<T> gradient, Tensor<T> output)
        : base("SigmoidGradient", gradient, output)
    {
    }

    public static Tensor<T> Apply(Tensor<T> gradient, Tensor<T> output)
    {
        var result = Tensor<T>.Uninitialized(output.Shape);
        FusedKernels.SigmoidBackward<T>(gradient.Data, output.Data, result.Storage);
        return Graph.Tracks(gradient, output) ? Graph.Record(new SigmoidGradientNode<T>(gradient, output), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Partial(index);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Partial(index);

    private Tensor<T> Partial(int index)
    {
        var y = Input(1);
        return index == 0 ? y * (1.0 - y) : Input(0) * (1.0 - y * 2.0);
    }
}

/// <summary>
/// g·(1 − y²), the tanh's backward fused into one pass, as a differentiable op of (g, y):
/// ∂/∂g = 1 − y², ∂/∂y = −2gy.
/// </summary>
internal sealed class TanhGradientNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private TanhGradientNode(Tensor<T> gradient, Tensor<T> output)
        : base("TanhGradient", gradient, output)
    {
    }

    public static Tensor<T> Apply(Tensor<T> gradient, Tensor<T> output)
    {
        var result = Tensor<T>.Uninitialized(output.Shape);
        FusedKernels.TanhBackward<T>(gradient.Data, output.Data, result.Storage);
        return Graph.Tracks(gradient, output) ? Graph.Record(new TanhGradientNode<T>(gradient, output), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Partial(index);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Partial(index);

    private Tensor<T> Partial(int index)
    {
        var y = Input(1);
        return index == 0 ? 1.0 - y.Square() : Input(0) * y * -2.0;
    }
}
