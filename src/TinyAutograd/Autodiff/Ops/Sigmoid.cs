using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ).</summary>
    /// <remarks>y = σ(x); ∂L/∂x = ∂L/∂y·y(1 − y). Saturates cleanly: σ(−1000) = 0 and σ(1000) = 1 with gradient 0.</remarks>
    public Tensor<T> Sigmoid([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => SigmoidNode<T>.Apply(this, OpCall.At("Sigmoid", file, line));
}

internal sealed class SigmoidNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private SigmoidNode(Tensor<T> x)
        : base("Sigmoid", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, OpCall call = default)
    {
        var result = x.Map(static (source, destination) => ExponentialKernels.Sigmoid(source, destination));
        return Tape.Record(call, result, Tape.Tracks(x) ? new SigmoidNode<T>(x) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => SigmoidGradientNode<T>.Apply(outputGradient, Output);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        FusedKernels.ActivationBackward<T, SigmoidBackwardRule<T>>(g, Output.Data.Slice(start, g.Length), addend, destination);

    /// <summary>ẏ = ẋ·y(1 − y): the backward's fused pass, applied to the tangent.</summary>
    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => SigmoidGradientNode<T>.Apply(inputTangent, Output);
}
