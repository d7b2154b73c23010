using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace TinyAutograd.Kernels;

/// <summary>
/// Kernels that do in one pass over memory what would otherwise take several: the row-wise log-sum-exp forward and
/// backward.
/// </summary>
internal static class FusedKernels
{
    /// <summary>
    /// For each of the <paramref name="rows"/> contiguous rows of <paramref name="x"/>: result = m + log Σ exp(x − m) with
    /// m the row's maximum (0 when the maximum is infinite), one row at a time so the row stays in cache.
    /// </summary>
    public static void LogSumExpRows<T>(ReadOnlySpan<T> x, int rows, int columns, Span<T> result, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * columns, columns);
            T shift = TensorPrimitives.Max(row);
            if (T.IsInfinity(shift))
            {
                shift = T.Zero;
            }
            result[r] = T.Log(ExponentialKernels.SumOfShiftedExp(row, shift, scratch)) + shift;
        }
    }

    /// <summary>
    /// For each contiguous row: destination = g_r·exp(x − y_r), the log-sum-exp's backward (g·softmax); a row whose
    /// y is −∞ gets zeros.
    /// </summary>
    public static void LogSumExpRowsBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> g, int rows, int columns, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var target = destination.Slice(r * columns, columns);
            T shift = T.IsNegativeInfinity(y[r]) ? T.Zero : y[r];
            ExponentialKernels.ScaledShiftedExp(x.Slice(r * columns, columns), shift, g[r], target);
        }
    }
}
