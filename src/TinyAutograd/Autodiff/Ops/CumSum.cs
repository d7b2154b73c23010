using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Running sums along <paramref name="axis"/>: element k is the sum of elements 0 … k (negative axes count from the end).</summary>
    /// <remarks>
    /// yₖ = Σ_{m ≤ k} xₘ along the axis; ∂L/∂xₘ = Σ_{k ≥ m} ∂L/∂yₖ, the running sum of g taken from the end. The sums
    /// are added in order along the axis.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public Tensor<T> CumSum(int axis, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        CumSumNode<T>.Apply(this, Shape.NormalizeAxis(axis, Rank, "CumSum"), reverse: false, OpCall.At("CumSum", file, line));
}

/// <summary>Running sums along an axis, from the start or (<c>reverse</c>) from the end: each direction is the other's transpose.</summary>
internal sealed class CumSumNode<T>(Tensor<T> x, int axis, bool reverse) : LinearNode<T>("CumSum", x)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Tensor<T> Apply(Tensor<T> x, int axis, bool reverse, OpCall call = default)
    {
        var result = Tensor<T>.Uninitialized(x.Shape);
        var (outer, length, inner) = AxisKernels.Split(x.Shape.Dimensions, axis);
        AlongAxisKernels.CumSum<T>(x.Data, outer, length, inner, reverse, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(x) ? new CumSumNode<T>(x, axis, reverse) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], axis, reverse);

    /// <summary>The running sum of g in the other direction.</summary>
    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) => Apply(outputGradient, axis, !reverse);
}
