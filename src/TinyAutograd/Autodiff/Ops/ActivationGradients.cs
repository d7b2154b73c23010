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

/// <summary>
/// g where x &gt; 0, else 0: the relu's backward in one pass, as a differentiable op of (g, x). It is linear in g
/// (its rule for g is itself) and piecewise constant in x (its derivative with respect to x is 0).
/// </summary>
internal sealed class ReluGradientNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private ReluGradientNode(Tensor<T> gradient, Tensor<T> input)
        : base("ReluGradient", gradient, input)
    {
    }

    public static Tensor<T> Apply(Tensor<T> gradient, Tensor<T> input)
    {
        var result = Tensor<T>.Uninitialized(input.Shape);
        FusedKernels.ReluBackward<T>(gradient.Data, input.Data, result.Storage);
        return Graph.Tracks(gradient, input) ? Graph.Record(new ReluGradientNode<T>(gradient, input), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        index == 0 ? Apply(outputGradient, Input(1)) : Tensor<T>.ZerosOf(Input(1).Shape);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        index == 0 ? Apply(inputTangent, Input(1)) : Tensor<T>.ZerosOf(Output.Shape);
}
