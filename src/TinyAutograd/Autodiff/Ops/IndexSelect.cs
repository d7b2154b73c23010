using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Picks the entries <paramref name="indices"/> along <paramref name="axis"/>, in that order, repeats allowed
    /// (e.g. the rows of a mini-batch). Negative indices count from the end.
    /// </summary>
    /// <remarks>∂L/∂x adds each picked entry's gradient back at its index (repeated picks add up).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis or an index is out of range.</exception>
    public Tensor<T> IndexSelect(int axis, ReadOnlySpan<int> indices, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        IndexSelectNode<T>.Apply(this, Shape.NormalizeAxis(axis, Rank, "IndexSelect"), NormalizeIndices(indices, Shape[axis], "IndexSelect"), OpCall.At("IndexSelect", file, line));

    private static int[] NormalizeIndices(ReadOnlySpan<int> indices, int size, string operation)
    {
        var normalized = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i] < 0 ? indices[i] + size : indices[i];
            if ((uint)index >= (uint)size)
            {
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"{operation}: index {indices[i]} (position {i}) is out of range for an axis of size {size}; expected [{-size}, {size - 1}].");
            }
            normalized[i] = index;
        }
        return normalized;
    }
}

internal sealed class IndexSelectNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _axis;
    private readonly int[] _indices;

    private IndexSelectNode(Tensor<T> x, int axis, int[] indices)
        : base("IndexSelect", x)
    {
        _axis = axis;
        _indices = indices;
    }

    public static Tensor<T> Apply(Tensor<T> x, int axis, int[] indices, OpCall call = default)
    {
        var result = Tensor<T>.Uninitialized(x.Shape.WithDimension(axis, indices.Length));
        var (outer, length, inner) = AxisKernels.Split(x.Shape.Dimensions, axis);
        LayoutKernels.Gather<T>(x.Data, indices, outer, length, inner, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(x) ? new IndexSelectNode<T>(x, axis, indices) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], _axis, _indices);

    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) =>
        IndexAddNode<T>.Apply(outputGradient, _axis, _indices, Input(0).Shape[_axis]);
}

/// <summary>Adds the entries of x into a zero tensor at the given indices along an axis: the adjoint of <see cref="IndexSelectNode{T}"/>.</summary>
internal sealed class IndexAddNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _axis;
    private readonly int[] _indices;

    private IndexAddNode(Tensor<T> x, int axis, int[] indices)
        : base("IndexAdd", x)
    {
        _axis = axis;
        _indices = indices;
    }

    public static Tensor<T> Apply(Tensor<T> x, int axis, int[] indices, int size, OpCall call = default)
    {
        var result = Tensor<T>.ZerosOf(x.Shape.WithDimension(axis, size));
        var (outer, length, inner) = AxisKernels.Split(result.Shape.Dimensions, axis);
        LayoutKernels.ScatterAdd<T>(x.Data, indices, outer, length, inner, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(x) ? new IndexAddNode<T>(x, axis, indices) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], _axis, _indices, Output.Shape[_axis]);

    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) => IndexSelectNode<T>.Apply(outputGradient, _axis, _indices);
}
