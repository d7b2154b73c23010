using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>The smallest element, as a 0-d tensor.</summary>
    /// <remarks>See <see cref="Min(int[], bool, string?, int)"/> for the gradient and ties.</remarks>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public Tensor<T> Min([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => Min([], false, file, line);

    /// <summary>The smallest element along the given axes (none listed means all); NaN if the slice holds a NaN.</summary>
    /// <remarks>
    /// y = min over the axes = −max(−x). ∂L/∂xᵢ = ∂L/∂y / k for each of the k elements of a slice that equal its
    /// minimum, and 0 for the others: ties split the gradient evenly, as for <see cref="Max(int[], bool, string?, int)"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">A reduced slice is empty, or an axis is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    public Tensor<T> Min(int[] axes, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(axes);
        using var composite = OpCall.Enter(OpCall.At("Min", file, line));
        AxisReduction.Of(Shape, axes, keepDims, "Min").RequireNonEmpty("Min");
        return -(-this).Max(axes, keepDims);
    }

    /// <summary>The smallest element along one axis.</summary>
    public Tensor<T> Min(int axis, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => Min([axis], keepDims, file, line);
}
