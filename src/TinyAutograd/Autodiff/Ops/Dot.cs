using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The inner product of two tensors of the same shape, Σᵢ xᵢ·yᵢ over every element, as a 0-d tensor (PyTorch's
    /// <c>vdot</c> of the flattened tensors): one pass, without the elementwise product <c>(x * y).Sum()</c> stores.
    /// </summary>
    /// <remarks>
    /// z = Σᵢ xᵢyᵢ; ∂L/∂x = ∂L/∂z·y and ∂L/∂y = ∂L/∂z·x; the tangent is ż = Σᵢ (ẋᵢyᵢ + xᵢẏᵢ). The terms are added
    /// in chunks of 64Ki elements, chunk after chunk, so the result does not depend on the thread count. The inner product
    /// of empty tensors is 0.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes differ (nothing is broadcast).</exception>
    public Tensor<T> Dot(Tensor<T> other, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Shape != other.Shape)
        {
            throw new ArgumentException($"Dot: the operands must have the same shape (nothing is broadcast); got {Shape} and {other.Shape}.", nameof(other));
        }
        return DotNode<T>.Apply(this, other, OpCall.At("Dot", file, line));
    }
}

/// <summary>z = Σᵢ xᵢyᵢ over two tensors of one shape (see <see cref="Tensor{T}.Dot"/>).</summary>
internal sealed class DotNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private DotNode(Tensor<T> left, Tensor<T> right)
        : base("Dot", left, right)
    {
    }

    public static Tensor<T> Apply(Tensor<T> left, Tensor<T> right, OpCall call = default)
    {
        var result = Tensor.Scalar(WholeSum.OfProducts<T>(left.Data, right.Data));
        return Tape.Record(call, result, Tape.Tracks(left, right) ? new DotNode<T>(left, right) : null);
    }

    /// <summary>∂L/∂z times the other operand.</summary>
    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => Input(1 - index) * outputGradient;

    /// <summary>The inner product of the tangent with the other operand: z is bilinear.</summary>
    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => Apply(inputTangent, Input(1 - index));
}
