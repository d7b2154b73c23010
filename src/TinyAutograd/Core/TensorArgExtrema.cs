using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>The row-major (flat) index of the largest element: the first one on ties, the first NaN if there is one.</summary>
    /// <remarks>An index, not a tensor: it has no gradient and is never recorded (as NumPy's and PyTorch's <c>argmax</c>).</remarks>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public int ArgMax() => ArgExtremum(largest: true, "ArgMax");

    /// <summary>
    /// The index along <paramref name="axis"/> of the largest element of every slice (the first one on ties, the first
    /// NaN if the slice holds one), in row-major order over the other axes: one index per element of
    /// <c>x.Max(axis, keepDims: true)</c>, ready for <see cref="Gather"/> along the same axis.
    /// </summary>
    /// <remarks>Indices, not a tensor: they have no gradient and are never recorded.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis has size 0 while other elements exist.</exception>
    public int[] ArgMax(int axis) => ArgExtremum(axis, largest: true, "ArgMax");

    /// <summary>The row-major (flat) index of the smallest element: the first one on ties, the first NaN if there is one.</summary>
    /// <remarks>An index, not a tensor: it has no gradient and is never recorded.</remarks>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public int ArgMin() => ArgExtremum(largest: false, "ArgMin");

    /// <summary>
    /// The index along <paramref name="axis"/> of the smallest element of every slice (the first one on ties, the first
    /// NaN if the slice holds one), in row-major order over the other axes, ready for <see cref="Gather"/>.
    /// </summary>
    /// <remarks>Indices, not a tensor: they have no gradient and are never recorded.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis has size 0 while other elements exist.</exception>
    public int[] ArgMin(int axis) => ArgExtremum(axis, largest: false, "ArgMin");

    private int ArgExtremum(bool largest, string operation)
    {
        if (Length == 0)
        {
            throw new ArgumentException($"{operation}: {Describe()} has no elements; {operation} of nothing is undefined.");
        }
        Span<int> index = stackalloc int[1];
        AlongAxisKernels.ArgExtremum<T>(Data, 1, Length, 1, largest, index);
        return index[0];
    }

    private int[] ArgExtremum(int axis, bool largest, string operation)
    {
        var (outer, length, inner) = AxisKernels.Split(Shape.Dimensions, Shape.NormalizeAxis(axis, Rank, operation));
        var indices = new int[outer * inner];
        if (length == 0 && indices.Length > 0)
        {
            throw new ArgumentException($"{operation}: axis {axis} of {Describe()} has size 0; {operation} of an empty slice is undefined.", nameof(axis));
        }
        AlongAxisKernels.ArgExtremum<T>(Data, outer, length, inner, largest, indices);
        return indices;
    }
}
