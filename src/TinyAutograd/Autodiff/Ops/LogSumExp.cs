using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>log Σ exp(x) over all elements, as a 0-d tensor, computed stably.</summary>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public Tensor<T> LogSumExp([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => LogSumExpNode<T>.Apply(this, AxisReduction.Of(Shape, [], keepDims: false, "LogSumExp"), OpCall.At("LogSumExp", file, line));

    /// <summary>log Σ exp(x) along the given axes (none listed means all), stable per reduced slice.</summary>
    /// <remarks>
    /// <para>y = m + log Σ exp(x − m) with m the slice's own maximum, so [1000, 1000] gives 1000 + ln 2 and rows far
    /// apart do not disturb each other. ∂L/∂x = ∂L/∂y·exp(x − y), i.e. ∂L/∂y times the softmax of the slice, with the
    /// exact y (the rounded one and what rounding lost): at [10²¹, 10²¹], where y rounds to 10²¹, the gradient is
    /// still (½, ½).</para>
    /// <para>A slice that is all −∞ gives −∞ with gradient 0 (its softmax is undefined; it contributes nothing).
    /// A slice holding +∞ gives +∞ and a NaN gradient; a NaN propagates.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">A reduced slice is empty, or an axis is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    public Tensor<T> LogSumExp(int[] axes, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return LogSumExpNode<T>.Apply(this, AxisReduction.Of(Shape, axes, keepDims, "LogSumExp"), OpCall.At("LogSumExp", file, line));
    }

    /// <summary>log Σ exp(x) along one axis, stable per slice.</summary>
    public Tensor<T> LogSumExp(int axis, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        LogSumExpNode<T>.Apply(this, AxisReduction.Of(Shape, [axis], keepDims, "LogSumExp"), OpCall.At("LogSumExp", file, line));
}

/// <summary>
/// y = log Σ exp(x) over the reduced axes, and the part of each slice's exact value that rounding y lost
/// (<see cref="FusedKernels.AddExactly{T}"/>), kept for the gradient exp(x − y): where |x| is so large that
/// m + log Σ exp(x − m) rounds to m, the rounded y alone made that gradient twice the softmax at (10²¹, 10²¹).
/// </summary>
internal sealed class LogSumExpNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AxisReduction _reduction;
    private readonly Tensor<T> _lows;

    private LogSumExpNode(Tensor<T> x, AxisReduction reduction, Tensor<T> lows)
        : base("LogSumExp", x) => (_reduction, _lows) = (reduction, lows);

    public static Tensor<T> Apply(Tensor<T> x, AxisReduction reduction, OpCall call = default)
    {
        reduction.RequireNonEmpty("LogSumExp");
        // What rounding lost matters only to the gradient: kept when the result is recorded.
        var lows = Tape.Tracks(x) ? Tensor<T>.Uninitialized(reduction.Kept) : null;
        var lowData = lows is null ? Span<T>.Empty : lows.Storage.AsSpan();
        var result = reduction.IsLastAxisOnly ? AlongRows(x, reduction, lowData) : AlongAxes(x, reduction, lowData);
        return Tape.Record(call, result, lows is null ? null : new LogSumExpNode<T>(x, reduction, lows));
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        LogSumExpGradientNode<T>.Apply(Input(0), Output.Reshape(_reduction.Kept), _lows, outputGradient.Reshape(_reduction.Kept), _reduction);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        SumNode<T>.Apply(inputTangent * LogSumExpGradientNode<T>.Softmax(Input(0), Output.Reshape(_reduction.Kept), _lows), _reduction);

    /// <summary>The common case, reduction over the last axis: one cache-resident pass per row.</summary>
    private static Tensor<T> AlongRows(Tensor<T> x, AxisReduction reduction, Span<T> lows)
    {
        int columns = x.Shape[^1];
        var result = Tensor<T>.Uninitialized(reduction.Output);
        var scratch = Tensor<T>.Uninitialized(new Shape(columns));
        FusedKernels.LogSumExpRows<T>(x.Data, x.Length / columns, columns, result.Storage, lows, scratch.Storage);
        return result;
    }

    private static Tensor<T> AlongAxes(Tensor<T> x, AxisReduction reduction, Span<T> lows)
    {
        var keptReduction = AxisReduction.Of(x.Shape, reduction.Axes, keepDims: true, "LogSumExp");
        var shift = keptReduction.Max<T>(x.Data);
        var shiftData = shift.Storage;
        for (int i = 0; i < shiftData.Length; i++)
        {
            if (T.IsInfinity(shiftData[i]))
            {
                shiftData[i] = T.Zero;
            }
        }
        var exponentials = Tensor<T>.Broadcasting<SubtractOperator<T>>(x, shift, "LogSumExp");
        ExponentialKernels.Exp<T>(exponentials.Storage, exponentials.Storage);
        var summed = keptReduction.Sum<T>(exponentials.Data);
        var sums = summed.Storage;
        TensorPrimitives.Log(sums, sums);
        for (int i = 0; i < sums.Length; i++)
        {
            (sums[i], T low) = FusedKernels.AddExactly(sums[i], shiftData[i]);
            if (!lows.IsEmpty)
            {
                lows[i] = low;
            }
        }
        return summed.Alias(reduction.Output);
    }
}

/// <summary>
/// r = g·exp((x − y) − low) with y = logsumexp(x) rounded, low the part rounding lost, and g = ∂L/∂y (y, low and g with
/// the reduced axes kept as size 1): the log-sum-exp's backward in one pass, as a differentiable op for second
/// derivatives. As y is logsumexp(x), r is g·softmax(x), and its derivatives are taken as such:
/// ∂L/∂x = r ⊙ (ḡ − Σ(ḡ ⊙ p)) with p = softmax(x) and the sum over each slice, ∂L/∂g = Σ(ḡ ⊙ p) (the engine sums the
/// broadcast g), and nothing through y. Letting y carry its share (−r, back through the log-sum-exp into x) gave the same
/// sum in exact arithmetic, but its two halves reached x separately, and added to x's other gradients they cancelled
/// badly: a one-element slice of size 10¹⁷ (whose softmax is 1) doubled a reverse-over-reverse HVP.
/// </summary>
internal sealed class LogSumExpGradientNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> _lows;
    private readonly AxisReduction _reduction;

    private LogSumExpGradientNode(Tensor<T> x, Tensor<T> y, Tensor<T> g, Tensor<T> lows, AxisReduction reduction)
        : base("LogSumExpGradient", [x, y, g]) => (_lows, _reduction) = (lows, reduction);

    public static Tensor<T> Apply(Tensor<T> x, Tensor<T> y, Tensor<T> lows, Tensor<T> g, AxisReduction reduction, OpCall call = default)
    {
        Tensor<T> result;
        if (reduction.IsLastAxisOnly)
        {
            int columns = x.Shape[^1];
            result = Tensor<T>.Uninitialized(x.Shape);
            FusedKernels.LogSumExpRowsBackward<T>(x.Data, y.Data, lows.Data, g.Data, x.Length / columns, columns, result.Storage);
        }
        else
        {
            using var unrecorded = GradMode.Disable();
            result = Softmax(x.Detach(), y.Detach(), lows) * g.Detach();
        }
        return Tape.Record(call, result, Tape.Tracks(x, y) || Tape.Tracks(g) ? new LogSumExpGradientNode<T>(x, y, g, lows, reduction) : null);
    }

    internal override bool BroadcastsInputs => true;

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => index switch
    {
        0 => Output * (outputGradient - SliceSum(outputGradient * Softmax())),
        1 => Tensor<T>.ZerosOf(Input(1).Shape),
        _ => outputGradient * Softmax(),
    };

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => index switch
    {
        0 => Output * (inputTangent - SliceSum(inputTangent * Softmax())),
        1 => Tensor<T>.ZerosOf(Output.Shape),
        _ => inputTangent * Softmax(),
    };

    /// <summary>p = softmax(x) in recorded ops, from the node's inputs.</summary>
    private Tensor<T> Softmax() => Softmax(Input(0), Input(1), _lows);

    /// <summary>Σ over each slice, kept as size-1 axes.</summary>
    private Tensor<T> SliceSum(Tensor<T> values) => SumNode<T>.Apply(values, _reduction).Reshape(_reduction.Kept);

    /// <summary>exp((x − y) − low), differentiable in x and y; 0 on slices whose log-sum-exp y is −∞.</summary>
    internal static Tensor<T> Softmax(Tensor<T> x, Tensor<T> y, Tensor<T> lows)
    {
        var finite = y.Map(static (source, destination) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                destination[i] = T.IsNegativeInfinity(source[i]) ? T.Zero : T.One;
            }
        });
        return (x - Tensor<T>.Where(finite, y, Tensor<T>.ZerosOf(Shape.Scalar)) - lows).Exp();
    }
}
