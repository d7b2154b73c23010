using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Picks, for every position, one element along <paramref name="axis"/>: y[…, j, …] = x[…, indices[…, j, …], …]
    /// (PyTorch's <c>gather</c>, NumPy's <c>take_alongaxis</c>). <paramref name="indices"/> is an index tensor in
    /// row-major order, of this tensor's shape with some size k along the axis; the result has that shape. Negative
    /// indices count from the end. With k = 1, <c>x.Gather(1, labels)</c> picks one entry per row of a [N, C] tensor,
    /// and <c>x.Gather(axis, x.ArgMax(axis))</c> is the maximum.
    /// </summary>
    /// <remarks>
    /// y[o, j, i] = x[o, idx[o, j, i], i] with (o, i) the positions off the axis; ∂L/∂x adds each g[o, j, i] back at
    /// x[o, idx[o, j, i], i] (<see cref="ScatterAdd"/> into zeros: repeated indices add up). The indices get no gradient.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis or an index is out of range.</exception>
    /// <exception cref="ArgumentException">The number of indices is not a multiple of the number of positions off the axis.</exception>
    public Tensor<T> Gather(int axis, ReadOnlySpan<int> indices, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        int at = Shape.NormalizeAxis(axis, Rank, "Gather");
        var (outer, size, inner) = AxisKernels.Split(Shape.Dimensions, at);
        long positions = (long)outer * inner;
        if (positions == 0 ? !indices.IsEmpty : indices.Length % positions != 0)
        {
            throw new ArgumentException(
                $"Gather: {indices.Length} indices along axis {axis} of {Describe()}; expected a multiple of the {positions} positions off that axis " +
                "(an index tensor of this shape with any size along the axis, in row-major order).", nameof(indices));
        }
        int count = positions == 0 ? 0 : (int)(indices.Length / positions);
        var normalized = NormalizeIndices(indices, size, $"Gather along axis {axis} of {Describe()}");
        return GatherNode<T>.Apply(this, at, normalized, count, OpCall.At("Gather", file, line));
    }
}

/// <summary>y[o, j, i] = x[o, idx[o, j, i], i]; its transpose is <see cref="ScatterAddNode{T}"/> into zeros.</summary>
internal sealed class GatherNode<T>(Tensor<T> x, int axis, int[] indices) : LinearNode<T>("Gather", x)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The gather of <paramref name="count"/> entries per position off the axis (indices already in range).</summary>
    public static Tensor<T> Apply(Tensor<T> x, int axis, int[] indices, int count, OpCall call = default)
    {
        var result = Tensor<T>.Uninitialized(x.Shape.WithDimension(axis, count));
        var (outer, length, inner) = AxisKernels.Split(x.Shape.Dimensions, axis);
        AlongAxisKernels.Gather<T>(x.Data, indices, outer, length, inner, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(x) ? new GatherNode<T>(x, axis, indices) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], axis, indices, Output.Shape[axis]);

    /// <summary>g added into zeros at the gathered positions.</summary>
    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) =>
        ScatterAddNode<T>.Apply(Tensor<T>.ZerosOf(Input(0).Shape), outputGradient, axis, indices);
}
