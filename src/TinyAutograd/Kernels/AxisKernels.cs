using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Kernels;

/// <summary>
/// Reductions along one axis of a row-major array viewed as [outer, length, inner]: result[o, i] = ⊕ₖ source[o, k, i].
/// </summary>
/// <remarks>
/// When inner = 1 each reduced slice is contiguous and goes to TensorPrimitives' whole-span reduction; otherwise whole
/// rows of length inner are combined elementwise, which keeps the SIMD work on long contiguous runs. Large reductions
/// split the outer index into ranges over the cores (<see cref="ParallelRanges"/>): each result is combined in the same
/// order by one thread, so the bits do not depend on the thread count.
/// </remarks>
internal static unsafe class AxisKernels
{
    /// <summary>result[o, i] = Σₖ source[o, k, i] (0 when length = 0).</summary>
    public static void Sum<T>(ReadOnlySpan<T> source, int outer, int length, int inner, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Reduce<T, Summed<T>>(source, outer, length, inner, result);

    /// <summary>result[o, i] = maxₖ source[o, k, i] (NaN if any element is NaN). Requires length ≥ 1.</summary>
    public static void Max<T>(ReadOnlySpan<T> source, int outer, int length, int inner, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Reduce<T, Largest<T>>(source, outer, length, inner, result);

    /// <summary>result[o, i] = ⊕ₖ source[o, k, i] for the combining step <typeparamref name="TCombine"/>.</summary>
    public static void Reduce<T, TCombine>(ReadOnlySpan<T> source, int outer, int length, int inner, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCombine : ICombine<T>
    {
        fixed (T* from = source, to = result)
        {
            long bytes = ((long)outer * length * inner + (long)outer * inner) * sizeof(T);
            ParallelRanges.Run(new Slices<T, TCombine>(from, length, inner, to), outer, ParallelRanges.Worth(bytes, ParallelRanges.MinBytesPerRange, outer), quantum: 1);
        }
    }

    /// <summary>How values are combined: a whole contiguous slice at once, or two rows element by element.</summary>
    internal interface ICombine<T>
    {
        static abstract T Whole(ReadOnlySpan<T> slice);

        static abstract void Rows(ReadOnlySpan<T> row, ReadOnlySpan<T> other, Span<T> destination);
    }

    /// <summary>Addition.</summary>
    internal readonly struct Summed<T> : ICombine<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Whole(ReadOnlySpan<T> slice) => WholeSum.Of(slice);

        public static void Rows(ReadOnlySpan<T> row, ReadOnlySpan<T> other, Span<T> destination) => TensorPrimitives.Add(row, other, destination);
    }

    /// <summary>The maximum (NaN if either value is NaN).</summary>
    internal readonly struct Largest<T> : ICombine<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Whole(ReadOnlySpan<T> slice) => TensorPrimitives.Max(slice);

        public static void Rows(ReadOnlySpan<T> row, ReadOnlySpan<T> other, Span<T> destination) => TensorPrimitives.Max(row, other, destination);
    }

    /// <summary>The results of outer indices [start, end): a contiguous slice at once when inner = 1, else row by row.</summary>
    private readonly struct Slices<T, TCombine>(T* source, int length, int inner, T* result) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCombine : ICombine<T>
    {
        public void Run(int start, int end, int range)
        {
            for (int o = start; o < end; o++)
            {
                var first = source + (long)o * length * inner;
                if (inner == 1)
                {
                    result[o] = TCombine.Whole(new ReadOnlySpan<T>(first, length));
                    continue;
                }
                var row = new Span<T>(result + (long)o * inner, inner);
                if (length == 0)
                {
                    row.Clear();
                    continue;
                }
                new ReadOnlySpan<T>(first, inner).CopyTo(row);
                for (int k = 1; k < length; k++)
                {
                    TCombine.Rows(row, new ReadOnlySpan<T>(first + (long)k * inner, inner), row);
                }
            }
        }
    }

    /// <summary>
    /// Splits <paramref name="shape"/> around <paramref name="axis"/> into (outer, length, inner) element counts.
    /// </summary>
    public static (int Outer, int Length, int Inner) Split(ReadOnlySpan<int> shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int a = 0; a < axis; a++)
        {
            outer *= shape[a];
        }
        for (int a = axis + 1; a < shape.Length; a++)
        {
            inner *= shape[a];
        }
        return (outer, shape[axis], inner);
    }
}
