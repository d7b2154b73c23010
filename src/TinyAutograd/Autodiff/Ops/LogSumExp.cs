using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>log Σ exp(x) over all elements, as a 0-d tensor, computed stably.</summary>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public Tensor<T> LogSumExp() => LogSumExpNode<T>.Apply(this, AxisReduction.Of(Shape, [], keepDims: false, "LogSumExp"));

    /// <summary>log Σ exp(x) along the given axes (none listed means all), stable per reduced slice.</summary>
    /// <remarks>
    /// <para>y = m + log Σ exp(x − m) with m the slice's own maximum, so [1000, 1000] gives 1000 + ln 2 and rows far
    /// apart do not disturb each other. ∂L/∂x = ∂L/∂y·exp(x − y), i.e. the softmax of the slice.</para>
    /// <para>A slice that is all −∞ gives −∞ with gradient 0 (its softmax is undefined; it contributes nothing).
    /// A slice holding +∞ gives +∞ and a NaN gradient; a NaN propagates.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">A reduced slice is empty, or an axis is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    public Tensor<T> LogSumExp(int[] axes, bool keepDims = false) => LogSumExpNode<T>.Apply(this, AxisReduction.Of(Shape, axes, keepDims, "LogSumExp"));

    /// <summary>log Σ exp(x) along one axis, stable per slice.</summary>
    public Tensor<T> LogSumExp(int axis, bool keepDims = false) => LogSumExp([axis], keepDims);
}

internal sealed class LogSumExpNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AxisReduction _reduction;

    private LogSumExpNode(Tensor<T> x, AxisReduction reduction)
        : base("LogSumExp", x) => _reduction = reduction;

    public static Tensor<T> Apply(Tensor<T> x, AxisReduction reduction)
    {
        reduction.RequireNonEmpty("LogSumExp");
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
        TensorPrimitives.Exp(exponentials.Storage, exponentials.Storage);
        var sums = keptReduction.Sum<T>(exponentials.Data);
        TensorPrimitives.Log(sums.Storage, sums.Storage);
        TensorPrimitives.Add(sums.Storage, shiftData, sums.Storage);
        var result = sums.Alias(reduction.Output);
        return Graph.Tracks(x) ? Graph.Record(new LogSumExpNode<T>(x, reduction), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        outputGradient.Reshape(_reduction.Kept) * Softmax();

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        SumNode<T>.Apply(inputTangent * Softmax(), _reduction);

    /// <summary>exp(x − y), differentiable in x and y; 0 on slices whose result is −∞.</summary>
    private Tensor<T> Softmax()
    {
        var kept = Output.Reshape(_reduction.Kept);
        var finite = kept.Map(static (source, destination) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                destination[i] = T.IsNegativeInfinity(source[i]) ? T.Zero : T.One;
            }
        });
        var safe = Tensor<T>.Where(finite, kept, Tensor<T>.ZerosOf(Shape.Scalar));
        return (Input(0) - safe).Exp();
    }
}
