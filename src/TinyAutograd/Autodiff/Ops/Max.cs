using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>The largest element, as a 0-d tensor.</summary>
    /// <remarks>See <see cref="Max(int[], bool, string?, int)"/> for the gradient and ties.</remarks>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public Tensor<T> Max([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => MaxNode<T>.Apply(this, AxisReduction.Of(Shape, [], keepDims: false, "Max"), OpCall.At("Max", file, line));

    /// <summary>The largest element along the given axes (none listed means all); NaN if the slice holds a NaN.</summary>
    /// <remarks>
    /// y = max over the axes. ∂L/∂xᵢ = ∂L/∂y / k for each of the k elements of a slice that equal its maximum, and 0
    /// for the others: ties split the gradient evenly (as JAX and PyTorch's <c>amax</c> do).
    /// </remarks>
    /// <exception cref="ArgumentException">A reduced slice is empty, or an axis is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    public Tensor<T> Max(int[] axes, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return MaxNode<T>.Apply(this, AxisReduction.Of(Shape, axes, keepDims, "Max"), OpCall.At("Max", file, line));
    }

    /// <summary>The largest element along one axis.</summary>
    public Tensor<T> Max(int axis, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => Max([axis], keepDims, file, line);
}

internal sealed class MaxNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AxisReduction _reduction;
    private Tensor<T>? _share;

    private MaxNode(Tensor<T> x, AxisReduction reduction)
        : base("Max", x) => _reduction = reduction;

    public static Tensor<T> Apply(Tensor<T> x, AxisReduction reduction, OpCall call = default)
    {
        reduction.RequireNonEmpty("Max");
        var result = reduction.Max<T>(x.Data);
        return Tape.Record(call, result, Tape.Tracks(x) ? new MaxNode<T>(x, reduction) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        outputGradient.Reshape(_reduction.Kept) * Share();

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        SumNode<T>.Apply(inputTangent * Share(), _reduction);

    /// <summary>The constant 1/k on each of the k maximal elements of a slice, 0 elsewhere.</summary>
    private Tensor<T> Share()
    {
        if (_share is null)
        {
            var input = Input(0);
            var maximal = Tensor<T>.Broadcasting<EqualOperator<T>>(input, Output.Detach().Reshape(_reduction.Kept), "Max");
            var kept = AxisReduction.Of(input.Shape, _reduction.Axes, keepDims: true, "Max").Sum<T>(maximal.Data);
            _share = Tensor<T>.Broadcasting<DivideOperator<T>>(maximal, kept, "Max");
        }
        return _share;
    }
}
