using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise natural logarithm ln x.</summary>
    /// <remarks>y = ln x; ∂L/∂x = ∂L/∂y / x. ln 0 = −∞ and ln of a negative number is NaN (IEEE 754).</remarks>
    public Tensor<T> Log([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => LogNode<T>.Apply(this, OpCall.At("Log", file, line));
}

internal sealed class LogNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private LogNode(Tensor<T> x)
        : base("Log", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, OpCall call = default)
    {
        var result = x.Map(static (source, destination) => TensorPrimitives.Log(source, destination));
        return Tape.Record(call, result, Tape.Tracks(x) ? new LogNode<T>(x) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient / Input(0);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        FusedKernels.ActivationBackward<T, LogBackwardRule<T>>(g, Input(0).Data.Slice(start, g.Length), addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent / Input(0);
}
