using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise square root √x.</summary>
    /// <remarks>y = √x; ∂L/∂x = ∂L/∂y / (2y). At x = 0 the gradient is +∞; for x &lt; 0 the value is NaN.</remarks>
    public Tensor<T> Sqrt([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => SqrtNode<T>.Apply(this, OpCall.At("Sqrt", file, line));
}

internal sealed class SqrtNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private SqrtNode(Tensor<T> x)
        : base("Sqrt", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, OpCall call = default)
    {
        var result = x.Map(static (source, destination) => TensorPrimitives.Sqrt(source, destination));
        return Tape.Record(call, result, Tape.Tracks(x) ? new SqrtNode<T>(x) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient / (Output * 2.0);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        FusedKernels.ActivationBackward<T, SqrtBackwardRule<T>>(g, Output.Data.Slice(start, g.Length), addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent / (Output * 2.0);
}
