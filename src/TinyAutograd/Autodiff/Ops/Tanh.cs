using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise hyperbolic tangent.</summary>
    /// <remarks>y = tanh x; ∂L/∂x = ∂L/∂y·(1 − y²).</remarks>
    public Tensor<T> Tanh([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => TanhNode<T>.Apply(this, OpCall.At("Tanh", file, line));
}

internal sealed class TanhNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private TanhNode(Tensor<T> x)
        : base("Tanh", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, OpCall call = default)
    {
        var result = x.Map(static (source, destination) => TensorPrimitives.Tanh(source, destination));
        return Tape.Record(call, result, Tape.Tracks(x) ? new TanhNode<T>(x) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => TanhGradientNode<T>.Apply(outputGradient, Output);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        FusedKernels.ActivationBackward<T, TanhBackwardRule<T>>(g, Output.Data.Slice(start, g.Length), addend, destination);

    /// <summary>ẏ = ẋ·(1 − y²): the backward's fused pass, applied to the tangent.</summary>
    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => TanhGradientNode<T>.Apply(inputTangent, Output);
}
