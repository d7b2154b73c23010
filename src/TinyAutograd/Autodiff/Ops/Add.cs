using System.Numerics;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise sum with NumPy broadcasting.</summary>
    /// <remarks>z = x + y; ∂L/∂x = ∂L/∂z and ∂L/∂y = ∂L/∂z, each summed back over the axes it was broadcast along.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> operator +(Tensor<T> left, Tensor<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return AddNode<T>.Apply(left, right);
    }

    /// <summary>Elementwise sum with NumPy broadcasting: <c>this + other</c>.</summary>
    public Tensor<T> Add(Tensor<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this + other;
    }
}

internal sealed class AddNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private AddNode(Tensor<T> left, Tensor<T> right)
        : base("Add", left, right)
    {
    }

    public static Tensor<T> Apply(Tensor<T> left, Tensor<T> right)
    {
        var result = Tensor<T>.Broadcasting<AddOperator<T>>(left, right, "Add");
        return Graph.Tracks(left, right) ? Graph.Record(new AddNode<T>(left, right), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => Unbroadcast(outputGradient, index);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        PointwiseGradientTerms.Plus(g, addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => BroadcastToOutput(inputTangent);

    /// <summary>ż = ẋ + ẏ in one broadcasting pass, expanded to the output's shape only when the sum does not have it.</summary>
    internal override Tensor<T> Tangent()
    {
        var (left, right) = (Input(0).Tangent, Input(1).Tangent);
        return BroadcastToOutput(left is null ? right! : right is null ? left : left + right);
    }
}
