using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>The elements [start, start + length) along <paramref name="axis"/> (a copy).</summary>
    /// <remarks>∂L/∂x is ∂L/∂y placed back at [start, start + length) along the axis, zero elsewhere.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or the range does not fit inside the axis.</exception>
    public Tensor<T> Slice(int axis, int start, int length, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => SliceNode<T>.Apply(this, Shape.NormalizeAxis(axis, Rank, "Slice"), start, length, OpCall.At("Slice", file, line));
}

internal sealed class SliceNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _axis;
    private readonly int _start;

    private SliceNode(Tensor<T> x, int axis, int start)
        : base("Slice", x)
    {
        _axis = axis;
        _start = start;
    }

    public static Tensor<T> Apply(Tensor<T> x, int axis, int start, int length, OpCall call = default)
    {
        int size = x.Shape[axis];
        if (start < 0 || length < 0 || start > size - length)
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Slice: the range [{start}, {(long)start + length}) does not fit inside axis {axis} of size {size} of {x.Describe()}.");
        }
        var result = Tensor<T>.Uninitialized(x.Shape.WithDimension(axis, length));
        var (outer, full, inner) = AxisKernels.Split(x.Shape.Dimensions, axis);
        LayoutKernels.CopyBlock<T>(x.Data, result.Storage, outer, full, inner, start, length, intoSource: false);
        return Tape.Record(call, result, Tape.Tracks(x) ? new SliceNode<T>(x, axis, start) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], _axis, _start, Output.Shape[_axis]);

    internal override bool AddsTransposeInPlace => true;

    /// <summary>∂L/∂y added at [start, start + length) along the axis; the zeros of the padded transpose add nothing.</summary>
    internal override void AddTranspose(int index, Tensor<T> outputGradient, Span<T> destination)
    {
        var (outer, full, inner) = AxisKernels.Split(Input(0).Shape.Dimensions, _axis);
        LayoutKernels.AddBlock<T>(outputGradient.Data, destination, outer, full, inner, _start, Output.Shape[_axis]);
    }

    /// <summary>∂L/∂y padded with zeros back to the input's size along the axis.</summary>
    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) =>
        PadNode<T>.Apply(outputGradient, _axis, _start, Input(0).Shape[_axis] - _start - Output.Shape[_axis], T.Zero);
}
