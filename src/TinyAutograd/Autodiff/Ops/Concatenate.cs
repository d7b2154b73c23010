using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Joins tensors end to end along an existing axis; all other sizes must agree.</summary>
    /// <remarks>∂L/∂xᵢ is the slice of ∂L/∂y where xᵢ was placed.</remarks>
    /// <exception cref="ArgumentException">No tensors, different ranks, a size mismatch off the axis, or a joined size above <see cref="int.MaxValue"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> Concatenate(int axis, params Tensor<T>[] tensors)
    {
        Argument.ThrowIfAnyNull(tensors, "Concatenate");
        return ConcatenateNode<T>.Apply(axis, tensors);
    }

    /// <summary>Stacks equally shaped tensors along a new axis inserted at <paramref name="axis"/>.</summary>
    /// <remarks>Each input is reshaped to have size 1 at the new axis, then concatenated: the gradient is the matching slice.</remarks>
    /// <exception cref="ArgumentException">No tensors, or the shapes differ.</exception>
    public static Tensor<T> Stack(int axis, params Tensor<T>[] tensors)
    {
        Argument.ThrowIfAnyNull(tensors, "Stack");
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0)
        {
            throw new ArgumentException("Stack: at least one tensor is needed.", nameof(tensors));
        }
        var shape = tensors[0].Shape;
        int at = Shape.NormalizeAxis(axis, shape.Rank + 1, "Stack");
        var expanded = new Tensor<T>[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            if (tensors[i].Shape != shape)
            {
                throw new ArgumentException($"Stack: tensor {i} has shape {tensors[i].Shape} but tensor 0 has {shape}; stacked tensors must have equal shapes.", nameof(tensors));
            }
            var dims = shape.ToArray().ToList();
            dims.Insert(at, 1);
            expanded[i] = tensors[i].Reshape([.. dims]);
        }
        return Concatenate(at, expanded);
    }
}

internal sealed class ConcatenateNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _axis;
    private readonly int[] _offsets;

    private ConcatenateNode(Tensor<T>[] inputs, int axis, int[] offsets)
        : base("Concatenate", inputs)
    {
        _axis = axis;
        _offsets = offsets;
    }

    public static Tensor<T> Apply(int axis, Tensor<T>[] tensors, OpCall call = default)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0)
        {
            throw new ArgumentException("Concatenate: at least one tensor is needed.", nameof(tensors));
        }
        var first = tensors[0].Shape;
        int normalized = Shape.NormalizeAxis(axis, first.Rank, "Concatenate");
        var offsets = new int[tensors.Length];
        long total = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            var shape = tensors[i].Shape;
            if (shape.Rank != first.Rank || shape.WithDimension(normalized, 0) != first.WithDimension(normalized, 0))
            {
                throw new ArgumentException(
                    $"Concatenate: tensor {i} has shape {shape} but tensor 0 has {first}; all sizes except along axis {normalized} must agree.", nameof(tensors));
            }
            offsets[i] = (int)total;
            total += shape[normalized];
            if (total > int.MaxValue)
            {
                throw new ArgumentException(
                    $"Concatenate: joining {tensors.Length} tensors of shapes like {first} along axis {normalized} gives a size above int.MaxValue ({int.MaxValue}) on that axis.", nameof(tensors));
            }
        }
        var result = Tensor<T>.Uninitialized(first.WithDimension(normalized, (int)total));
        var (outer, length, inner) = AxisKernels.Split(result.Shape.Dimensions, normalized);
        for (int i = 0; i < tensors.Length; i++)
        {
            LayoutKernels.CopyBlock<T>(tensors[i].Data, result.Storage, outer, length, inner, offsets[i], tensors[i].Shape[normalized], intoSource: true);
        }
        var inputs = (Tensor<T>[])tensors.Clone();
        return Tape.Record(call, result, Tape.Tracks<T>(inputs) ? new ConcatenateNode<T>(inputs, normalized, offsets) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(_axis, operands.ToArray());

    /// <summary>The slice of ∂L/∂y where input <paramref name="index"/> was placed.</summary>
    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) =>
        SliceNode<T>.Apply(outputGradient, _axis, _offsets[index], Input(index).Shape[_axis]);
}
