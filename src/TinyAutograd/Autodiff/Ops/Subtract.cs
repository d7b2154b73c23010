using System.Numerics;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise difference with NumPy broadcasting.</summary>
    /// <remarks>z = x − y; ∂L/∂x = ∂L/∂z and ∂L/∂y = −∂L/∂z, each summed back over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> operator -(Tensor<T> left, Tensor<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return SubtractNode<T>.Apply(left, right);
    }

    /// <summary>Elementwise difference with NumPy broadcasting: <c>this − other</c>.</summary>
    public Tensor<T> Subtract(Tensor<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this - other;
    }
}

internal sealed class SubtractNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private SubtractNode(Tensor<T> left, Tensor<T> right)
        : base("Subtract", left, right)
    {
    }

    public static Tensor<T> Apply(Tensor<T> left, Tensor<T> right)
    {
        var result = Tensor<T>.Broadcasting<SubtractOperator<T>>(left, right, "Subtract");
        return Graph.Tracks(left, right) ? Graph.Record(new SubtractNode<T>(left, right), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        Unbroadcast(index == 0 ? outputGradient : -outputGradient, index);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination)
    {
        if (index == 0)
        {
            PointwiseGradientTerms.Plus(g, addend, destination);
        }
        else
        {
            PointwiseGradientTerms.Minus(g, addend, destination);
        }
    }

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        BroadcastToOutput(index == 0 ? inputTangent : -inputTangent);
}
