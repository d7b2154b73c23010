using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Kernels;

/// <summary>
/// Scans, arg-extrema and per-element index moves along one axis of row-major arrays viewed as [outer, length, inner]:
/// each (o, i) pair owns the line of <c>length</c> elements at stride <c>inner</c>.
/// </summary>
internal static class AlongAxisKernels
{
    /// <summary>
    /// Running sums: destination[o, k, i] = Σ_{m ≤ k} source[o, m, i], or Σ_{m ≥ k} when <paramref name="reverse"/>,
    /// added left to right (right to left) in whole rows of length inner.
    /// </summary>
    public static void CumSum<T>(ReadOnlySpan<T> source, int outer, int length, int inner, bool reverse, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int step = reverse ? -1 : 1;
        for (int o = 0; o < outer; o++)
        {
            int first = (o * length + (reverse ? length - 1 : 0)) * inner;
            if (length > 0)
            {
                source.Slice(first, inner).CopyTo(destination.Slice(first, inner));
            }
            for (int n = 1, at = first + step * inner; n < length; n++, at += step * inner)
            {
                if (inner == 1)
                {
                    destination[at] = destination[at - step] + source[at];
                }
                else
                {
                    TensorPrimitives.Add(destination.Slice(at - step * inner, inner), source.Slice(at, inner), destination.Slice(at, inner));
                }
            }
        }
    }

    /// <summary>
    /// result[o, i] = the k of the largest (<paramref name="largest"/>) or smallest source[o, k, i]: the first such k
    /// on ties, and the first NaN if the line holds one. Requires length ≥ 1.
    /// </summary>
    public static void ArgExtremum<T>(ReadOnlySpan<T> source, int outer, int length, int inner, bool largest, Span<int> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int line = o * length * inner + i, best = 0;
                T bestValue = source[line];
                for (int k = 1; k < length && !T.IsNaN(bestValue); k++)
                {
                    T value = source[line + k * inner];
                    if (T.IsNaN(value) || (largest ? value > bestValue : value < bestValue))
                    {
                        best = k;
                        bestValue = value;
                    }
                }
                result[o * inner + i] = best;
            }
        }
    }

    /// <summary>
    /// destination[o, j, i] = source[o, indices[o, j, i], i], for indices and destination viewed as [outer, count, inner]
    /// (indices already in [0, length)).
    /// </summary>
    public static void Gather<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> indices, int outer, int length, int inner, Span<T> destination)
        where T : unmanaged
    {
        int count = outer * inner == 0 ? 0 : indices.Length / (outer * inner);
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < count; j++)
            {
                int at = (o * count + j) * inner;
                for (int i = 0; i < inner; i++)
                {
                    destination[at + i] = source[(o * length + indices[at + i]) * inner + i];
                }
            }
        }
    }

    /// <summary>
    /// destination[o, indices[o, j, i], i] += source[o, j, i], for indices and source viewed as [outer, count, inner]
    /// (indices already in [0, length)); repeated indices add up, in increasing j.
    /// </summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> indices, int outer, int length, int inner, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = outer * inner == 0 ? 0 : indices.Length / (outer * inner);
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < count; j++)
            {
                int at = (o * count + j) * inner;
                for (int i = 0; i < inner; i++)
                {
                    destination[(o * length + indices[at + i]) * inner + i] += source[at + i];
                }
            }
        }
    }
}
