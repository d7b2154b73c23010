using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Softmax along an axis: exp(x − logsumexp(x)), stable for any magnitude of logits.</summary>
    /// <remarks>
    /// yᵢ = exp(xᵢ) / Σⱼ exp(xⱼ), computed as exp(z − LogSumExp(z)) with z = x − m, m the slice's largest element (0
    /// where that is infinite) held constant (<see cref="SliceShift"/>); ∂L/∂x = y ⊙ (∂L/∂y − Σ(∂L/∂y ⊙ y)) follows from the rules of
    /// Exp, Subtract and LogSumExp. A slice of all −∞ has no softmax: it gives NaN.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The slice along the axis is empty.</exception>
    public Tensor<T> Softmax(int axis = -1, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        using var composite = OpCall.Enter(OpCall.At("Softmax", file, line));
        int slices = NonEmptySliceAxis(axis, "Softmax");
        var shifted = this - SliceShift(slices);
        return (shifted - shifted.LogSumExp(slices, keepDims: true)).Exp();
    }

    /// <summary>Log-softmax along an axis: x − logsumexp(x), stable for any magnitude of logits.</summary>
    /// <remarks>
    /// yᵢ = xᵢ − log Σⱼ exp(xⱼ), computed as z − LogSumExp(z) with z = x − m as in <see cref="Softmax"/>;
    /// ∂L/∂x = ∂L/∂y − softmax(x)·Σ ∂L/∂y. A slice of all −∞ gives NaN.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The slice along the axis is empty.</exception>
    public Tensor<T> LogSoftmax(int axis = -1, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        using var composite = OpCall.Enter(OpCall.At("LogSoftmax", file, line));
        int slices = NonEmptySliceAxis(axis, "LogSoftmax");
        var shifted = this - SliceShift(slices);
        return shifted - shifted.LogSumExp(slices, keepDims: true);
    }

    /// <summary>
    /// Each slice's largest element along <paramref name="axis"/> (kept as a size-1 axis), 0 where it is not finite, as
    /// a constant: subtracted from the slice before a log-sum-exp, it changes no value or derivative in exact arithmetic
    /// (softmax and log-softmax do not see a shift), but keeps x − logsumexp(x) exact where |x| is so large that
    /// logsumexp(x) rounds to x: at x = (10²¹, 10²¹) that difference was 0, not −ln 2, and the softmax 1 each.
    /// </summary>
    internal Tensor<T> SliceShift(int axis)
    {
        using var unrecorded = GradMode.Disable();
        return Detach().Max(axis, keepDims: true).Map(static (source, destination) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                destination[i] = T.IsFinite(source[i]) ? source[i] : T.Zero;
            }
        });
    }

    /// <summary>The axis, normalized, after checking that its slices are not empty; errors name <paramref name="operation"/>.</summary>
    private int NonEmptySliceAxis(int axis, string operation)
    {
        var reduction = AxisReduction.Of(Shape, [axis], keepDims: true, operation);
        reduction.RequireNonEmpty(operation);
        return reduction.Axes[0];
    }

    /// <summary>The mean of all elements, as a 0-d tensor.</summary>
    /// <remarks>y = (Σᵢ xᵢ) / n; ∂L/∂xᵢ = ∂L/∂y / n.</remarks>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public Tensor<T> Mean([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => Mean([], false, file, line);

    /// <summary>The mean along the given axes (none listed means all).</summary>
    /// <remarks>y = (Σ over the axes) / n with n the number of elements combined; ∂L/∂x = ∂L/∂y / n broadcast back.</remarks>
    /// <exception cref="ArgumentException">A reduced slice is empty, or an axis is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    public Tensor<T> Mean(int[] axes, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(axes);
        using var composite = OpCall.Enter(OpCall.At("Mean", file, line));
        var reduction = AxisReduction.Of(Shape, axes, keepDims, "Mean");
        reduction.RequireNonEmpty("Mean");
        return SumNode<T>.Apply(this, reduction, OpCall.At("Sum", file, line)) / reduction.Count;
    }

    /// <summary>The mean along one axis.</summary>
    public Tensor<T> Mean(int axis, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => Mean([axis], keepDims, file, line);
}
