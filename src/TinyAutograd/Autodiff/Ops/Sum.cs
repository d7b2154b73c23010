using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>The sum of all elements, as a 0-d tensor.</summary>
    /// <remarks>y = Σᵢ xᵢ; ∂L/∂xᵢ = ∂L/∂y. The sum of no elements is 0.</remarks>
    public Tensor<T> Sum([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => SumNode<T>.Apply(this, AxisReduction.Of(Shape, [], keepDims: false, "Sum"), OpCall.At("Sum", file, line));

    /// <summary>Sums along the given axes (negative axes count from the end; none listed means all).</summary>
    /// <remarks>y = Σ over the axes; ∂L/∂x = ∂L/∂y broadcast back along them. Empty slices sum to 0.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis is listed twice.</exception>
    public Tensor<T> Sum(int[] axes, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return SumNode<T>.Apply(this, AxisReduction.Of(Shape, axes, keepDims, "Sum"), OpCall.At("Sum", file, line));
    }

    /// <summary>Sums along one axis.</summary>
    public Tensor<T> Sum(int axis, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        SumNode<T>.Apply(this, AxisReduction.Of(Shape, [axis], keepDims, "Sum"), OpCall.At("Sum", file, line));
}

internal sealed class SumNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AxisReduction _reduction;

    private SumNode(Tensor<T> x, AxisReduction reduction)
        : base("Sum", x) => _reduction = reduction;

    public static Tensor<T> Apply(Tensor<T> x, AxisReduction reduction, OpCall call = default)
    {
        var result = reduction.Sum<T>(x.Data);
        return Tape.Record(call, result, Tape.Tracks(x) ? new SumNode<T>(x, reduction) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], _reduction);

    /// <summary>∂L/∂y put back along the reduced axes (as size 1, unless kept or all were summed) and broadcast over them.</summary>
    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) =>
        (_reduction.KeepDims || outputGradient.Rank == 0 ? outputGradient : outputGradient.Reshape(_reduction.Kept)).BroadcastTo(_reduction.Input);
}
