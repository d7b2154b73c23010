using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Softmax along an axis: exp(x − logsumexp(x)), stable for any magnitude of logits.</summary>
    /// <remarks>
    /// yᵢ = exp(xᵢ) / Σⱼ exp(xⱼ), computed as exp(x − LogSumExp(x)); ∂L/∂x = y ⊙ (∂L/∂y − Σ(∂L/∂y ⊙ y)) follows from the
    /// rules of Exp, Subtract and LogSumExp. A slice of all −∞ has no softmax: it gives NaN.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The slice along the axis is empty.</exception>
    public Tensor<T> Softmax(int axis = -1, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        using var composite = OpCall.Enter(OpCall.At("Softmax", file, line));
        return (this - LogSumExp(NonEmptySliceAxis(axis, "Softmax"), keepDims: true)).Exp();
    }

    /// <summary>Log-softmax along an axis: x − logsumexp(x), stable for any magnitude of logits.</summary>
    /// <remarks>yᵢ = xᵢ − log Σⱼ exp(xⱼ); ∂L/∂x = ∂L/∂y − softmax(x)·Σ ∂L/∂y. A slice of all −∞ gives NaN.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The slice along the axis is empty.</exception>
    public Tensor<T> LogSoftmax(int axis = -1, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        using var composite = OpCall.Enter(OpCall.At("LogSoftmax", file, line));
        return this - LogSumExp(NonEmptySliceAxis(axis, "LogSoftmax"), keepDims: true);
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
