using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Kernels;

/// <summary>
/// A sum over many pieces (images, chunks of tiles) cut into consecutive parts for the cores to share: each part adds
/// its pieces in order into a partial sum of its own, and the partial sums are added in part order. How many parts
/// there are depends on the problem only, never on the thread count, so neither do the bits.
/// </summary>
internal static class PartialSums
{
    /// <summary>The most parts a sum is cut into: enough for 16 cores to share it.</summary>
    public const int MaxParts = 16;

    /// <summary>
    /// How many parts a sum over <paramref name="pieces"/> pieces is cut into: one per piece up to <see cref="MaxParts"/>,
    /// and no more than keep the partial sums, of <paramref name="sumLength"/> elements each, within
    /// <paramref name="budget"/> elements (the size of the input the pieces come from).
    /// </summary>
    public static int Count(int pieces, long budget, int sumLength) =>
        (int)Math.Max(1, Math.Min(Math.Min(pieces, MaxParts), budget / Math.Max(1, sumLength)));

    /// <summary>The pieces [First, Last) of part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public static (int First, int Last) Pieces(int pieces, int part, int parts) =>
        ((int)((long)pieces * part / parts), (int)((long)pieces * (part + 1) / parts));

    /// <summary>
    /// Adds the partial sums 1 … <paramref name="parts"/> − 1, stored one after another in <paramref name="sums"/>
    /// (<paramref name="sumLength"/> elements each), into the first, in order, and returns the first.
    /// </summary>
    public static Span<T> Total<T>(Span<T> sums, int parts, int sumLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var total = sums[..sumLength];
        for (int part = 1; part < parts; part++)
        {
            TensorPrimitives.Add(total, sums.Slice(part * sumLength, sumLength), total);
        }
        return total;
    }
}
