using System.Collections;
using System.Text;

namespace TinyAutograd;

/// <summary>
/// The dimensions of a dense, row-major tensor. A shape of rank 0 describes a scalar (one element).
/// </summary>
/// <remarks>
/// Shapes are immutable values: two shapes are equal when they have the same rank and the same size
/// along every axis. The element count is the product of the dimensions (1 for rank 0). Creating a shape checks
/// that no dimension is negative and that the product of the non-zero dimensions fits in an <see cref="int"/>,
/// also for an empty shape (one with a zero dimension), so no stride or block size computed from it can overflow.
/// </remarks>
public readonly struct Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private static readonly int[] NoDimensions = [];
    private readonly int[]? _dimensions;
    private readonly int _length;

    /// <summary>Creates a shape from its dimensions (copied).</summary>
    /// <exception cref="ArgumentException">A dimension is negative, or the product of the non-zero dimensions exceeds <see cref="int.MaxValue"/>.</exception>
    public Shape(params ReadOnlySpan<int> dimensions)
    {
        _dimensions = dimensions.Length == 0 ? NoDimensions : dimensions.ToArray();
        _length = CheckedElementCount(_dimensions);
    }

    private Shape(int[] owned, int length)
    {
        _dimensions = owned;
        _length = length;
    }

    /// <summary>The shape of a scalar: rank 0, one element.</summary>
    public static Shape Scalar => default;

    /// <summary>The number of axes.</summary>
    public int Rank => Dimensions.Length;

    /// <summary>The number of elements: the product of the dimensions.</summary>
    public int Length => _dimensions is null ? 1 : _length;

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Dimensions => _dimensions ?? NoDimensions;

    /// <summary>The size along <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => Dimensions[NormalizeAxis(axis, Rank, "Shape indexer")];

    /// <summary>The size along an axis given as an <see cref="Index"/>, so that <c>shape[^1]</c> is the last axis.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range for the rank.</exception>
    public int this[Index axis]
    {
        get
        {
            int offset = axis.GetOffset(Rank);
            if ((uint)offset >= (uint)Rank)
            {
                throw new ArgumentOutOfRangeException(nameof(axis), axis.ToString(),
                    $"Shape indexer: axis {axis} is out of range for shape {this} of rank {Rank}; expected ^1 to ^{Rank} or 0 to {Rank - 1}.");
            }
            return Dimensions[offset];
        }
    }

    int IReadOnlyCollection<int>.Count => Rank;

    /// <summary>Returns a copy of the dimensions.</summary>
    public int[] ToArray() => Dimensions.ToArray();

    /// <summary>The row-major strides in elements: the last axis has stride 1.</summary>
    public int[] Strides()
    {
        var dims = Dimensions;
        var strides = new int[dims.Length];
        int stride = 1;
        for (int axis = dims.Length - 1; axis >= 0; axis--)
        {
            strides[axis] = stride;
            stride *= dims[axis];
        }
        return strides;
    }

    /// <summary>Returns this shape with the size of <paramref name="axis"/> replaced by <paramref name="size"/>.</summary>
    public Shape WithDimension(int axis, int size)
    {
        var dims = ToArray();
        dims[NormalizeAxis(axis, Rank, "Shape.WithDimension")] = size;
        return new Shape(dims);
    }

    internal static Shape FromOwned(int[] dimensions) => new(dimensions, CheckedElementCount(dimensions));

    /// <summary>
    /// The NumPy broadcast of two shapes: aligned from the right, each pair of sizes must be equal or one of them 1.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast; the message names <paramref name="operation"/> and both shapes.</exception>
    public static Shape Broadcast(Shape left, Shape right, string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (left.Equals(right) || right.CanBroadcastTo(left))
        {
            return left;
        }
        if (left.CanBroadcastTo(right))
        {
            return right;
        }
        var result = new int[Math.Max(left.Rank, right.Rank)];
        Broadcast(left.Dimensions, right.Dimensions, result, operation);
        return FromOwned(result);
    }

    /// <summary>
    /// Writes the NumPy broadcast of two lists of dimensions into <paramref name="result"/>, whose length is the larger
    /// of their lengths: the dimensions alone, for a caller that builds a longer shape around them.
    /// </summary>
    /// <exception cref="ArgumentException">The dimensions cannot be broadcast; the message names <paramref name="operation"/> and both shapes.</exception>
    internal static void Broadcast(ReadOnlySpan<int> left, ReadOnlySpan<int> right, Span<int> result, string operation)
    {
        int rank = result.Length;
        for (int i = 1; i <= rank; i++)
        {
            int da = i <= left.Length ? left[^i] : 1;
            int db = i <= right.Length ? right[^i] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException(
                    $"{operation}: shapes {new Shape(left)} and {new Shape(right)} cannot be broadcast: axis {rank - i} (counted in the result) has size {da} on the left and {db} on the right. " +
                    "NumPy broadcasting aligns shapes from the right; each pair of sizes must be equal or one of them must be 1.");
            }
            result[rank - i] = da == 1 ? db : da;
        }
    }

    /// <summary>Whether this shape can be broadcast to <paramref name="target"/> (NumPy rule, one direction only).</summary>
    public bool CanBroadcastTo(Shape target)
    {
        var a = Dimensions;
        var t = target.Dimensions;
        if (a.Length > t.Length)
        {
            return false;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            if (a[^i] != t[^i] && a[^i] != 1)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Maps a possibly negative axis into [0, rank), or throws naming the operation.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside [−rank, rank).</exception>
    public static int NormalizeAxis(int axis, int rank, string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        int normalized = axis < 0 ? axis + rank : axis;
        if ((uint)normalized >= (uint)rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), axis,
                $"{operation}: axis {axis} is out of range for a tensor of rank {rank}; expected an axis in [{-rank}, {rank - 1}].");
        }
        return normalized;
    }

    /// <summary>
    /// The element count, after checking that no dimension is negative and that the product of the non-zero
    /// dimensions fits in an <see cref="int"/>. The second rule holds for empty shapes too, so that every partial
    /// product a kernel forms (strides, outer and inner block sizes) fits in an <see cref="int"/>.
    /// </summary>
    private static int CheckedElementCount(int[] dimensions)
    {
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] < 0)
            {
                throw new ArgumentException(
                    $"Shape [{string.Join(", ", dimensions)}]: dimension {i} is {dimensions[i]}; dimensions must be zero or positive.", nameof(dimensions));
            }
        }
        bool empty = Array.IndexOf(dimensions, 0) >= 0;
        long nonZeroProduct = 1;
        foreach (int dimension in dimensions)
        {
            nonZeroProduct *= Math.Max(dimension, 1);
            if (nonZeroProduct > int.MaxValue)
            {
                throw new ArgumentException(
                    empty
                        ? $"Shape [{string.Join(", ", dimensions)}]: the product of its non-zero dimensions exceeds int.MaxValue ({int.MaxValue}); " +
                          "even an empty tensor's strides must fit in an int."
                        : $"Shape [{string.Join(", ", dimensions)}] has more than {int.MaxValue} elements; a tensor holds at most int.MaxValue elements.",
                    nameof(dimensions));
            }
        }
        return empty ? 0 : (int)nonZeroProduct;
    }

    /// <inheritdoc/>
    public bool Equals(Shape other) => ReferenceEquals(_dimensions, other._dimensions) || Dimensions.SequenceEqual(other.Dimensions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dimensions)
        {
            hash.Add(d);
        }
        return hash.ToHashCode();
    }

    /// <summary>Equality of dimensions.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Inequality of dimensions.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Formats as <c>[2, 3]</c>; a scalar is <c>[]</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("[");
        var dims = Dimensions;
        for (int i = 0; i < dims.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            text.Append(dims[i]);
        }
        return text.Append(']').ToString();
    }

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)ToArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
