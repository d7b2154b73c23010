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
    /// m the row's maximum (0 when the maximum is infinite), one row at a time so the row stays in cache; and in
    /// <paramref name="lows"/>, unless it is empty, what rounding that sum lost (<see cref="AddExactly"/>).
    /// </summary>
    public static void LogSumExpRows<T>(ReadOnlySpan<T> x, int rows, int columns, Span<T> result, Span<T> lows, Span<T> scratch)
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
            (result[r], T low) = AddExactly(T.Log(ExponentialKernels.SumOfShiftedExp(row, shift, scratch)), shift);
            if (!lows.IsEmpty)
            {
                lows[r] = low;
            }
        }
    }

    /// <summary>
    /// a + b rounded, and the error of that rounding (Knuth's two-sum: sum + low = a + b exactly), 0 unless all three are
    /// finite. A log-sum-exp keeps it so that its gradient exp(x − y) can use the exact y: where |m| is so large that
    /// m + log Σ rounds to m (10²¹ + ln 2 rounds to 10²¹), the rounded y made exp(x − y) twice the softmax.
    /// </summary>
    public static (T Sum, T Low) AddExactly<T>(T a, T b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = a + b;
        T bPart = sum - a;
        T low = (a - (sum - bPart)) + (b - bPart);
        return (sum, T.IsFinite(sum) && T.IsFinite(low) ? low : T.Zero);
    }

    /// <summary>
    /// For each contiguous row: destination = g_r·exp((x − y_r) − low_r), the log-sum-exp's backward (g·softmax) with
    /// y_r + low_r its exact value; a row whose y is −∞ gets zeros.
    /// </summary>
    public static void LogSumExpRowsBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> lows, ReadOnlySpan<T> g, int rows, int columns, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var target = destination.Slice(r * columns, columns);
            T shift = T.IsNegativeInfinity(y[r]) ? T.Zero : y[r];
            ExponentialKernels.ScaledShiftedExp(x.Slice(r * columns, columns), shift, lows[r], g[r], target);
        }
    }
}
