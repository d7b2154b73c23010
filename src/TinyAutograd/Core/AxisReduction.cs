using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>Which axes a reduction removes, and the shapes before and after.</summary>
internal readonly struct AxisReduction
{
    private readonly bool[] _reduced;

    private AxisReduction(Shape input, bool[] reduced, bool keepDims)
    {
        Input = input;
        _reduced = reduced;
        KeepDims = keepDims;
        var kept = input.ToArray();
        int remaining = 0;
        for (int axis = 0; axis < kept.Length; axis++)
        {
            remaining += reduced[axis] ? 0 : 1;
        }
        var dropped = remaining == 0 || keepDims ? [] : new int[remaining];
        for (int axis = 0, next = 0; axis < kept.Length; axis++)
        {
            if (reduced[axis])
            {
                kept[axis] = 1;
            }
            else if (!keepDims)
            {
                dropped[next++] = kept[axis];
            }
        }
        Kept = Shape.FromOwned(kept);
        Output = keepDims ? Kept : Shape.FromOwned(dropped);
        Count = Kept.Length == 0 ? 0 : input.Length / Kept.Length;
        if (input.Length == 0)
        {
            Count = 1;
            foreach (int axis in Axes)
            {
                Count *= input[axis];
            }
        }
    }

    /// <summary>The shape reduced.</summary>
    public Shape Input { get; }

    /// <summary>The result's shape with reduced axes kept as size 1.</summary>
    public Shape Kept { get; }

    /// <summary>The result's shape as returned (reduced axes dropped unless keepDims).</summary>
    public Shape Output { get; }

    /// <summary>Whether reduced axes stay as size 1.</summary>
    public bool KeepDims { get; }

    /// <summary>How many elements each result element combines.</summary>
    public int Count { get; }

    /// <summary>Whether exactly the last axis is reduced (each slice is then a contiguous row).</summary>
    public bool IsLastAxisOnly
    {
        get
        {
            int rank = _reduced.Length;
            if (rank == 0 || !_reduced[rank - 1])
            {
                return false;
            }
            for (int axis = 0; axis < rank - 1; axis++)
            {
                if (_reduced[axis] && Input[axis] != 1)
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>The reduced axes, ascending.</summary>
    public int[] Axes
    {
        get
        {
            var axes = new List<int>(_reduced.Length);
            for (int axis = 0; axis < _reduced.Length; axis++)
            {
                if (_reduced[axis])
                {
                    axes.Add(axis);
                }
            }
            return [.. axes];
        }
    }

    /// <summary>Resolves the axes to reduce (null or empty: all of them), rejecting out-of-range and repeated axes.</summary>
    public static AxisReduction Of(Shape input, ReadOnlySpan<int> axes, bool keepDims, string operation)
    {
        var reduced = new bool[input.Rank];
        if (axes.IsEmpty)
        {
            Array.Fill(reduced, true);
        }
        foreach (int axis in axes)
        {
            int normalized = Shape.NormalizeAxis(axis, input.Rank, operation);
            if (reduced[normalized])
            {
                throw new ArgumentException($"{operation}: axis {axis} is listed twice in [{string.Join(", ", axes.ToArray())}].", nameof(axes));
            }
            reduced[normalized] = true;
        }
        return new AxisReduction(input, reduced, keepDims);
    }

    /// <summary>Throws when a reduction that has no value over zero elements (mean, max, log-sum-exp) meets one.</summary>
    public void RequireNonEmpty(string operation)
    {
        if (Count == 0)
        {
            throw new ArgumentException(
                $"{operation}: reducing axes [{string.Join(", ", Axes)}] of shape {Input} combines zero elements; {operation} of nothing is undefined.");
        }
    }

    /// <summary>Σ over the reduced axes, unrecorded, in the <see cref="Output"/> shape (0 for empty slices).</summary>
    public Tensor<T> Sum<T>(ReadOnlySpan<T> source)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Combine<T, AxisKernels.Summed<T>>(source);

    /// <summary>max over the reduced axes, unrecorded, in the <see cref="Output"/> shape. Requires non-empty slices.</summary>
    public Tensor<T> Max<T>(ReadOnlySpan<T> source)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Combine<T, AxisKernels.Largest<T>>(source);

    /// <summary>
    /// The reduction over every reduced axis in turn (all of them at once when the result is one element), the last
    /// one written straight into the result.
    /// </summary>
    private Tensor<T> Combine<T, TCombine>(ReadOnlySpan<T> source)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCombine : AxisKernels.ICombine<T>
    {
        if (Kept.Length == 1 && Input.Length > 0)
        {
            return Tensor<T>.Filled(Output, TCombine.Whole(source));
        }
        Span<int> dims = stackalloc int[Input.Rank];
        Input.Dimensions.CopyTo(dims);
        int last = 0;
        while (last < dims.Length && (!_reduced[last] || dims[last] == 1))
        {
            last++;
        }
        Tensor<T>? current = null;
        for (int axis = dims.Length - 1; axis >= last; axis--)
        {
            if (!_reduced[axis] || dims[axis] == 1)
            {
                continue;
            }
            var (outer, length, inner) = AxisKernels.Split(dims, axis);
            var next = Tensor<T>.Uninitialized(axis == last ? Output : new Shape(outer * inner));
            AxisKernels.Reduce<T, TCombine>(current is null ? source : current.Data, outer, length, inner, next.Storage);
            current = next;
            dims[axis] = 1;
        }
        if (current is null)
        {
            current = Tensor<T>.Uninitialized(Output);
            source.CopyTo(current.Storage);
        }
        return current;
    }
}
