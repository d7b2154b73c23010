using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace TinyAutograd.Kernels;

/// <summary>
/// Elementwise kernels that do in one pass over memory what would otherwise take several: the backward rules of
/// the activations and the tangents of the sigmoid's and tanh's, and the row-wise log-sum-exp forward and backward.
/// </summary>
internal static class FusedKernels
{
    /// <summary>
    /// destination = addend + rule(g, saved), elementwise in one pass: an activation's backward from the tensor it saved
    /// (its output or its input), added to a gradient already accumulated when <paramref name="addend"/> is not empty.
    /// <paramref name="destination"/> may be <paramref name="addend"/> itself.
    /// </summary>
    public static void ActivationBackward<T, TRule>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : IActivationBackwardRule<T>
    {
        bool accumulate = !addend.IsEmpty;
        if (g.Length < destination.Length || saved.Length < destination.Length || (accumulate && addend.Length < destination.Length))
        {
            throw new ArgumentException(
                $"ActivationBackward: g ({g.Length}), saved ({saved.Length}) and a non-empty addend ({addend.Length}) must be at least as long as the destination ({destination.Length}).");
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= Vector<T>.Count)
        {
            ref T gStart = ref MemoryMarshal.GetReference(g);
            ref T savedStart = ref MemoryMarshal.GetReference(saved);
            ref T addendStart = ref MemoryMarshal.GetReference(addend);
            ref T destinationStart = ref MemoryMarshal.GetReference(destination);
            for (; i <= destination.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var value = TRule.Apply(Vector.LoadUnsafe(ref gStart, (nuint)i), Vector.LoadUnsafe(ref savedStart, (nuint)i));
                (accumulate ? Vector.LoadUnsafe(ref addendStart, (nuint)i) + value : value).StoreUnsafe(ref destinationStart, (nuint)i);
            }
        }
        for (; i < destination.Length; i++)
        {
            T value = TRule.Apply(g[i], saved[i]);
            destination[i] = accumulate ? addend[i] + value : value;
        }
    }

    /// <summary>
    /// destination = rule's tangent: ṙ = ġ·∂r/∂g + ẏ·∂r/∂y of the activation backward r = rule(g, y) when g and y move
    /// along ġ and ẏ (forward-over-reverse), elementwise in one pass.
    /// </summary>
    public static void ActivationBackwardTangent<T, TRule>(ReadOnlySpan<T> gTangent, ReadOnlySpan<T> g, ReadOnlySpan<T> y, ReadOnlySpan<T> yTangent, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : IActivationBackwardTangentRule<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= Vector<T>.Count)
        {
            for (; i <= destination.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                TRule.Tangent(new Vector<T>(gTangent[i..]), new Vector<T>(g[i..]), new Vector<T>(y[i..]), new Vector<T>(yTangent[i..])).CopyTo(destination[i..]);
            }
        }
        for (; i < destination.Length; i++)
        {
            destination[i] = TRule.Tangent(gTangent[i], g[i], y[i], yTangent[i]);
        }
    }

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
