using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Kernels;

/// <summary>
/// Reductions along one axis of a row-major array viewed as [outer, length, inner]: result[o, i] = ⊕ₖ source[o, k, i].
/// </summary>
/// <remarks>
/// When inner = 1 each reduced slice is contiguous and goes to TensorPrimitives' whole-span reduction; otherwise whole
/// rows of length inner are combined elementwise, which keeps the SIMD work on long contiguous runs.
/// </remarks>
internal static class AxisKernels
{
    /// <summary>result[o, i] = Σₖ source[o, k, i].</summary>
    public static void Sum<T>(ReadOnlySpan<T> source, int outer, int length, int inner, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                result[o] = TensorPrimitives.Sum(source.Slice(o * length, length));
            }
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var row = result.Slice(o * inner, inner);
            if (length == 0)
            {
                row.Clear();
                continue;
            }
            source.Slice(o * length * inner, inner).CopyTo(row);
            for (int k = 1; k < length; k++)
            {
                TensorPrimitives.Add(row, source.Slice((o * length + k) * inner, inner), row);
            }
        }
    }

    /// <summary>result[o, i] = maxₖ source[o, k, i] (NaN if any element is NaN). Requires length ≥ 1.</summary>
    public static void Max<T>(ReadOnlySpan<T> source, int outer, int length, int inner, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                result[o] = TensorPrimitives.Max(source.Slice(o * length, length));
            }
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var row = result.Slice(o * inner, inner);
            source.Slice(o * length * inner, inner).CopyTo(row);
            for (int k = 1; k < length; k++)
            {
                TensorPrimitives.Max(row, source.Slice((o * length + k) * inner, inner), row);
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
