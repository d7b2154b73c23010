using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Reorders the axes: axis i of the result is axis <paramref name="axes"/>[i] of this tensor (a copy).</summary>
    /// <remarks>∂L/∂x = ∂L/∂y permuted by the inverse permutation.</remarks>
    /// <exception cref="ArgumentException"><paramref name="axes"/> is not a permutation of 0 … rank − 1.</exception>
    public Tensor<T> Permute(params ReadOnlySpan<int> axes) => PermuteNode<T>.Apply(this, axes);

    /// <summary>Swaps two axes (by default the last two: the matrix transpose of each matrix in a batch).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range, or the tensor has fewer than two axes and no axes were given.</exception>
    public Tensor<T> Transpose(int axis0 = -2, int axis1 = -1, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        using var composite = OpCall.Enter(OpCall.At("Transpose", file, line));
        int a = Shape.NormalizeAxis(axis0, Rank, "Transpose");
        int b = Shape.NormalizeAxis(axis1, Rank, "Transpose");
        var axes = Enumerable.Range(0, Rank).ToArray();
        (axes[a], axes[b]) = (axes[b], axes[a]);
        return Permute(axes);
    }
}

internal sealed class PermuteNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _axes;

    private PermuteNode(Tensor<T> x, int[] axes)
        : base("Permute", x) => _axes = axes;

    public static Tensor<T> Apply(Tensor<T> x, ReadOnlySpan<int> axes, OpCall call = default) => Permute(x, Validate(axes, x.Rank), call);

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Permute(operands[0], _axes);

    /// <summary>The inverse permutation.</summary>
    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) => Permute(outputGradient, Inverse());

    /// <summary><paramref name="x"/> permuted by <paramref name="axes"/>, already a permutation of 0 … rank − 1, which the node keeps.</summary>
    private static Tensor<T> Permute(Tensor<T> x, int[] axes, OpCall call = default)
    {
        var source = x.Shape.Dimensions;
        var dims = new int[axes.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = source[axes[i]];
        }
        var result = Tensor<T>.Uninitialized(Shape.FromOwned(dims));
        LayoutKernels.Permute<T>(x.Data, source, axes, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(x) ? new PermuteNode<T>(x, axes) : null);
    }

    private int[] Inverse()
    {
        var inverse = new int[_axes.Length];
        for (int i = 0; i < _axes.Length; i++)
        {
            inverse[_axes[i]] = i;
        }
        return inverse;
    }

    /// <summary><paramref name="axes"/> with negative axes counted from the end, checked to be a permutation of 0 … rank − 1.</summary>
    private static int[] Validate(ReadOnlySpan<int> axes, int rank)
    {
        Span<bool> seen = stackalloc bool[rank];
        var normalized = new int[axes.Length];
        bool valid = axes.Length == rank;
        for (int i = 0; valid && i < axes.Length; i++)
        {
            int axis = axes[i] < 0 ? axes[i] + rank : axes[i];
            valid = (uint)axis < (uint)rank && !seen[axis];
            if (valid)
            {
                seen[axis] = true;
                normalized[i] = axis;
            }
        }
        if (!valid)
        {
            throw new ArgumentException(
                $"Permute: [{string.Join(", ", axes.ToArray())}] is not a permutation of the {rank} axes; expected each of 0 … {rank - 1} exactly once.", nameof(axes));
        }
        return normalized;
    }
}
