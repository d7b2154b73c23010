using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise rectified linear unit max(x, 0).</summary>
    /// <remarks>y = max(x, 0); ∂L/∂x = ∂L/∂y where x &gt; 0 and 0 elsewhere (0 at x = 0, as in PyTorch).</remarks>
    public Tensor<T> Relu([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => ReluNode<T>.Apply(this, OpCall.At("Relu", file, line));
}

internal sealed class ReluNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private ReluNode(Tensor<T> x)
        : base("Relu", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, OpCall call = default)
    {
        var result = x.Map(static (source, destination) => TensorPrimitives.Max(source, T.Zero, destination));
        return Tape.Record(call, result, Tape.Tracks(x) ? new ReluNode<T>(x) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => ReluGradientNode<T>.Apply(outputGradient, Input(0));

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        FusedKernels.ActivationBackward<T, ReluBackwardRule<T>>(g, Input(0).Data.Slice(start, g.Length), addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => ReluGradientNode<T>.Apply(inputTangent, Input(0));
}
