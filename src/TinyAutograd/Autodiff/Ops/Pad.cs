using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Pads along <paramref name="axis"/> with <paramref name="before"/> elements in front and <paramref name="after"/>
    /// behind, all equal to <paramref name="value"/> (PyTorch's <c>F.pad</c> in constant mode, one axis at a time).
    /// </summary>
    /// <remarks>
    /// y = [c, …, c, x, c, …, c] along the axis; ∂L/∂x is the slice of ∂L/∂y where x was placed,
    /// <c>g.Slice(axis, before, size)</c>, and the constant gets no gradient.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or a width is negative (use <see cref="Slice"/> to crop).</exception>
    /// <exception cref="ArgumentException">The padded size exceeds <see cref="int.MaxValue"/>.</exception>
    public Tensor<T> Pad(int axis, int before, int after, double value = 0, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        int at = Shape.NormalizeAxis(axis, Rank, "Pad");
        if (before < 0 || after < 0)
        {
            throw new ArgumentOutOfRangeException(before < 0 ? nameof(before) : nameof(after),
                $"Pad: the widths before = {before} and after = {after} along axis {axis} of {Describe()} must be at least 0; crop with Slice.");
        }
        if ((long)Shape[at] + before + after > int.MaxValue)
        {
            throw new ArgumentException(
                $"Pad: padding axis {axis} of {Describe()} by {before} + {after} gives a size above int.MaxValue ({int.MaxValue}).", nameof(after));
        }
        return PadNode<T>.Apply(this, at, before, after, T.CreateChecked(value), OpCall.At("Pad", file, line));
    }
}

/// <summary>Places x at [before, before + size) along an axis of a tensor filled with a constant: the transpose of <see cref="SliceNode{T}"/> when the constant is 0.</summary>
internal sealed class PadNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _axis;
    private readonly int _before;
    private readonly int _after;

    private PadNode(Tensor<T> x, int axis, int before, int after)
        : base("Pad", x)
    {
        _axis = axis;
        _before = before;
        _after = after;
    }

    public static Tensor<T> Apply(Tensor<T> x, int axis, int before, int after, T value, OpCall call = default)
    {
        int size = x.Shape[axis];
        var shape = x.Shape.WithDimension(axis, before + size + after);
        var result = T.IsZero(value) ? Tensor<T>.ZerosOf(shape) : Tensor<T>.Filled(shape, value);
        var (outer, full, inner) = AxisKernels.Split(shape.Dimensions, axis);
        LayoutKernels.CopyBlock<T>(x.Data, result.Storage, outer, full, inner, before, size, intoSource: true);
        return Tape.Record(call, result, Tape.Tracks(x) ? new PadNode<T>(x, axis, before, after) : null);
    }

    /// <summary>The JVP pads the tangent with zeros: the constant does not move.</summary>
    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], _axis, _before, _after, T.Zero);

    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) =>
        SliceNode<T>.Apply(outputGradient, _axis, _before, Input(0).Shape[_axis]);
}
