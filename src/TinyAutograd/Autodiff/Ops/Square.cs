using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise square x².</summary>
    /// <remarks>y = x²; ∂L/∂x = ∂L/∂y·2x.</remarks>
    public Tensor<T> Square([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => SquareNode<T>.Apply(this, OpCall.At("Square", file, line));
}

internal sealed class SquareNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private SquareNode(Tensor<T> x)
        : base("Square", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, OpCall call = default)
    {
        var result = x.Map(static (source, destination) => TensorPrimitives.Multiply(source, source, destination));
        return Tape.Record(call, result, Tape.Tracks(x) ? new SquareNode<T>(x) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * (Input(0) * 2.0);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        FusedKernels.ActivationBackward<T, SquareBackwardRule<T>>(g, Input(0).Data.Slice(start, g.Length), addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * (Input(0) * 2.0);
}
