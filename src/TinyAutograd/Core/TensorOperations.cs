using System.Numerics;

namespace TinyAutograd;

public static partial class Tensor
{
    /// <summary>
    /// The matrix product op(<paramref name="left"/>)·op(<paramref name="right"/>) with NumPy semantics (vectors,
    /// broadcast batch axes), op transposing the last two axes when its flag is set:
    /// <c>Tensor.MatMul(x, w, transposeRight: true)</c>.
    /// </summary>
    /// <remarks>
    /// C = op(A)·op(B); ∂L/∂op(A) = G·op(B)ᵀ, ∂L/∂op(B) = op(A)ᵀ·G. The same call as
    /// <see cref="Tensor{T}.MatMul(Tensor{T}, bool, bool, string?, int)"/> on <paramref name="left"/>, with T inferred.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// An operand is 0-d, a transposed operand is a vector, the inner sizes differ, or the batch axes cannot be broadcast.
    /// </exception>
    public static Tensor<T> MatMul<T>(Tensor<T> left, Tensor<T> right, bool transposeLeft = false, bool transposeRight = false)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.MatMul(left, right, transposeLeft, transposeRight);

    /// <summary>Joins tensors end to end along an existing axis; all other sizes must agree.</summary>
    /// <remarks>y = [x₀ | x₁ | …] along <paramref name="axis"/>; ∂L/∂xᵢ is the slice of ∂L/∂y where xᵢ was placed.</remarks>
    /// <exception cref="ArgumentException">No tensors, different ranks, a size mismatch off the axis, or a joined size above <see cref="int.MaxValue"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> Concatenate<T>(int axis, params Tensor<T>[] tensors)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.Concatenate(axis, tensors);

    /// <summary>Stacks equally shaped tensors along a new axis inserted at <paramref name="axis"/>.</summary>
    /// <remarks>y[…, i, …] = xᵢ with i at <paramref name="axis"/>; ∂L/∂xᵢ is the i-th slice of ∂L/∂y.</remarks>
    /// <exception cref="ArgumentException">No tensors, or the shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> Stack<T>(int axis, params Tensor<T>[] tensors)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.Stack(axis, tensors);

    /// <summary>
    /// Elementwise selection with NumPy broadcasting of all three operands: <paramref name="whenTrue"/> where
    /// <paramref name="condition"/> is non-zero, else <paramref name="whenFalse"/>. The condition is a constant.
    /// </summary>
    /// <remarks>y = c ≠ 0 ? a : b; ∂L/∂a = ∂L/∂y where c ≠ 0 (0 elsewhere), ∂L/∂b the complement, each summed back over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> Where<T>(Tensor<T> condition, Tensor<T> whenTrue, Tensor<T> whenFalse)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.Where(condition, whenTrue, whenFalse);
}
