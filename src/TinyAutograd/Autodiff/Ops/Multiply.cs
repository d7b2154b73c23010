using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise product with NumPy broadcasting.</summary>
    /// <remarks>z = x·y; ∂L/∂x = ∂L/∂z·y and ∂L/∂y = ∂L/∂z·x, each summed back over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> operator *(Tensor<T> left, Tensor<T> right) => MultiplyNode<T>.Apply(left, right);

    /// <summary>Elementwise product with NumPy broadcasting: <c>this · other</c>.</summary>
    public Tensor<T> Multiply(Tensor<T> other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        MultiplyNode<T>.Apply(this, other, OpCall.At("Multiply", file, line));
}

internal sealed class MultiplyNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private MultiplyNode(Tensor<T> left, Tensor<T> right)
        : base("Multiply", left, right)
    {
    }

    public static Tensor<T> Apply(Tensor<T> left, Tensor<T> right, OpCall call = default)
    {
        var result = Tensor<T>.Broadcasting<MultiplyOperator<T>>(left, right, "Multiply");
        return Tape.Record(call, result, Tape.Tracks(left, right) ? new MultiplyNode<T>(left, right) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        Unbroadcast(outputGradient * Input(1 - index), index);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        PointwiseGradientTerms.Times(g, Input(1 - index).Data.Slice(start, g.Length), addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        BroadcastToOutput(inputTangent * Input(1 - index));
}
