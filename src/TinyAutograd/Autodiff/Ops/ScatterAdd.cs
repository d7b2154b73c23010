using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// This tensor with <paramref name="source"/> added at the given positions along <paramref name="axis"/>:
    /// y = x, then y[…, indices[…, j, …], …] += source[…, j, …] (PyTorch's <c>scatter_add</c>). <paramref name="source"/>
    /// has this tensor's shape with any size k along the axis, and <paramref name="indices"/> holds one index per element
    /// of <paramref name="source"/>, in row-major order; repeated indices add up. Negative indices count from the end.
    /// The adjoint of <see cref="Gather"/>.
    /// </summary>
    /// <remarks>
    /// y[o, idx[o, j, i], i] += s[o, j, i] with (o, i) the positions off the axis; ∂L/∂x = g and
    /// ∂L/∂s = g.Gather(axis, indices). The indices get no gradient.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis or an index is out of range.</exception>
    /// <exception cref="ArgumentException">The source's shape differs from this tensor's off the axis, or the number of indices differs from the source's element count.</exception>
    public Tensor<T> ScatterAdd(int axis, ReadOnlySpan<int> indices, Tensor<T> source, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        int at = Shape.NormalizeAxis(axis, Rank, "ScatterAdd");
        if (source.Rank != Rank || source.Shape.WithDimension(at, 0) != Shape.WithDimension(at, 0))
        {
            throw new ArgumentException(
                $"ScatterAdd: the source {source.Describe()} does not fit {Describe()} along axis {axis}; expected the same sizes on every other axis.", nameof(source));
        }
        if (indices.Length != source.Length)
        {
            throw new ArgumentException(
                $"ScatterAdd: {indices.Length} indices for a source {source.Describe()} of {source.Length} elements; expected one index per source element.", nameof(indices));
        }
        var normalized = NormalizeIndices(indices, Shape[at], $"ScatterAdd along axis {axis} into {Describe()}");
        return ScatterAddNode<T>.Apply(this, source, at, normalized, OpCall.At("ScatterAdd", file, line));
    }
}

/// <summary>y = x with s[o, j, i] added at y[o, idx[o, j, i], i]: linear in (x, s); its transpose is (g, <see cref="GatherNode{T}"/> of g).</summary>
internal sealed class ScatterAddNode<T>(Tensor<T> x, Tensor<T> source, int axis, int[] indices) : LinearNode<T>("ScatterAdd", x, source)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The scatter-add of <paramref name="source"/> into a copy of <paramref name="x"/> (shapes and indices already checked).</summary>
    public static Tensor<T> Apply(Tensor<T> x, Tensor<T> source, int axis, int[] indices, OpCall call = default)
    {
        var result = x.CopyOfValues();
        var (outer, length, inner) = AxisKernels.Split(x.Shape.Dimensions, axis);
        AlongAxisKernels.ScatterAdd<T>(source.Data, indices, outer, length, inner, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(x, source) ? new ScatterAddNode<T>(x, source, axis, indices) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], operands[1], axis, indices);

    /// <summary>g itself for x; g gathered at the scattered positions for the source.</summary>
    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) =>
        index == 0 ? outputGradient : GatherNode<T>.Apply(outputGradient, axis, indices, Input(1).Shape[axis]);
}
