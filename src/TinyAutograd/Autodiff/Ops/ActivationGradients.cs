using System.Numerics;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// A fused activation backward r = g·φ′(y), computed from the activation's output y by <typeparamref name="TRule"/>,
/// as a differentiable op of (g, y): each derived node gives the two partials, ∂r/∂g = φ′(y) and ∂r/∂y = g·φ″
/// expressed in y.
/// </summary>
internal abstract class ActivationGradientNode<T, TRule> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TRule : IActivationBackwardTangentRule<T>
{
    protected ActivationGradientNode(string name, Tensor<T> gradient, Tensor<T> output)
        : base(name, gradient, output)
    {
    }

    public sealed override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Partial(index, Input(0), Input(1));

    public sealed override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Partial(index, Input(0), Input(1));

    /// <summary>ṙ = ġ·∂r/∂g + ẏ·∂r/∂y in one pass when both g and y carry tangents (forward-over-reverse), else term by term.</summary>
    internal sealed override Tensor<T> PushForward()
    {
        var (gradient, output) = (Input(0), Input(1));
        if (gradient.Tangent is not { } gradientTangent || output.Tangent is not { } outputTangent)
        {
            return base.PushForward();
        }
        var result = Tensor<T>.Uninitialized(output.Shape);
        FusedKernels.ActivationBackwardTangent<T, TRule>(gradientTangent.Data, gradient.Data, output.Data, outputTangent.Data, result.Storage);
        return result;
    }

    /// <summary>r = rule(g, y) in one pass, recorded as the node <paramref name="create"/> makes when g or y is tracked.</summary>
    protected static Tensor<T> Apply(Tensor<T> gradient, Tensor<T> output, Func<Tensor<T>, Tensor<T>, Node<T>> create, OpCall call = default)
    {
        var result = FusedActivationGradient.Compute<T, TRule>(gradient, output);
        return Tape.Record(call, result, Tape.Tracks(gradient, output) ? create(gradient, output) : null);
    }

    /// <summary>∂r/∂g (index 0) or ∂r/∂y (index 1), as differentiable tensors.</summary>
    protected abstract Tensor<T> Partial(int index, Tensor<T> gradient, Tensor<T> output);
}

/// <summary>g·y·(1 − y), the sigmoid's backward in one pass: ∂/∂g = y(1 − y), ∂/∂y = g(1 − 2y).</summary>
internal sealed class SigmoidGradientNode<T> : ActivationGradientNode<T, SigmoidBackwardRule<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private SigmoidGradientNode(Tensor<T> gradient, Tensor<T> output)
        : base("SigmoidGradient", gradient, output)
    {
    }

    public static Tensor<T> Apply(Tensor<T> gradient, Tensor<T> output) =>
        Apply(gradient, output, static (g, y) => new SigmoidGradientNode<T>(g, y));

    protected override Tensor<T> Partial(int index, Tensor<T> gradient, Tensor<T> output) =>
        index == 0 ? output * (1.0 - output) : gradient * (1.0 - output * 2.0);
}

/// <summary>g·(1 − y²), the tanh's backward in one pass: ∂/∂g = 1 − y², ∂/∂y = −2gy.</summary>
internal sealed class TanhGradientNode<T> : ActivationGradientNode<T, TanhBackwardRule<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private TanhGradientNode(Tensor<T> gradient, Tensor<T> output)
        : base("TanhGradient", gradient, output)
    {
    }

    public static Tensor<T> Apply(Tensor<T> gradient, Tensor<T> output) =>
        Apply(gradient, output, static (g, y) => new TanhGradientNode<T>(g, y));

    protected override Tensor<T> Partial(int index, Tensor<T> gradient, Tensor<T> output) =>
        index == 0 ? 1.0 - output.Square() : gradient * output * -2.0;
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

    public static Tensor<T> Apply(Tensor<T> gradient, Tensor<T> input, OpCall call = default)
    {
        var result = FusedActivationGradient.Compute<T, ReluBackwardRule<T>>(gradient, input);
        return Tape.Record(call, result, Tape.Tracks(gradient, input) ? new ReluGradientNode<T>(gradient, input) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        index == 0 ? Apply(outputGradient, Input(1)) : Tensor<T>.ZerosOf(Input(1).Shape);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        index == 0 ? Apply(inputTangent, Input(1)) : Tensor<T>.ZerosOf(Output.Shape);
}
