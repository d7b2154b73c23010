using System.Numerics;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise product with NumPy broadcasting.</summary>
    /// <remarks>z = x·y; ∂L/∂x = ∂L/∂z·y and ∂L/∂y = ∂L/∂z·x, each summed back over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> operator *(Tensor<T> left, Tensor<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return MultiplyNode<T>.Apply(left, right);
    }

    /// <summary>Elementwise product with NumPy broadcasting: <c>this · other</c>.</summary>
    public Tensor<T> Multiply(Tensor<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this * other;
    }
}

internal sealed class MultiplyNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private MultiplyNode(Tensor<T> left, Tensor<T> right)
        : base("Multiply", left, right)
    {
    }

    public static Tensor<T> Apply(Tensor<T> left, Tensor<T> right)
    {
        var result = Tensor<T>.Broadcasting<MultiplyOperator<T>>(left, right, "Multiply");
        return Graph.Tracks(left, right) ? Graph.Record(new MultiplyNode<T>(left, right), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        Unbroadcast(outputGradient * Input(1 - index), index);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        PointwiseGradientTerms.Times(g, Input(1 - index).Data.Slice(start, g.Length), addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        BroadcastToOutput(inputTangent * Input(1 - index));
}
