using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Testing;

/// <summary>Generators of shapes, broadcast-compatible shape pairs, axes and permutations.</summary>
/// <remarks>Ranks 0 … <see cref="MaxRank"/> and sizes 1 … <see cref="MaxSize"/>, so 0-d tensors and size-1 axes come up often.</remarks>
public static class Shapes
{
    /// <summary>The largest rank generated.</summary>
    public const int MaxRank = 4;

    /// <summary>The largest size of an axis.</summary>
    public const int MaxSize = 4;

    /// <summary>A shape of rank 0 … <see cref="MaxRank"/>.</summary>
    public static Gen<Shape> Any { get; } = RankBetween(0, MaxRank);

    /// <summary>A shape of exactly <paramref name="rank"/> axes, each of size 1 … <see cref="MaxSize"/>.</summary>
    public static Gen<Shape> WithRank(int rank) => Gen.ArrayOf(Gen.Choose(1, MaxSize), rank).Select(dims => new Shape(dims));

    /// <summary>A shape whose rank lies in [<paramref name="minRank"/>, <paramref name="maxRank"/>].</summary>
    public static Gen<Shape> RankBetween(int minRank, int maxRank) => Gen.Choose(minRank, maxRank).SelectMany(WithRank);

    /// <summary>
    /// A shape that broadcasts to <paramref name="target"/>: a random number of leading axes dropped and random
    /// remaining axes replaced by 1.
    /// </summary>
    public static Gen<Shape> BroadcastingTo(Shape target) =>
        from dropped in Gen.Choose(0, target.Rank)
        from ones in Gen.ArrayOf(Gen.Choose(0, 2), target.Rank - dropped)
        select new Shape(target.ToArray()[dropped..].Select((size, i) => ones[i] == 0 ? 1 : size).ToArray());

    /// <summary>Two shapes that broadcast together, each derived from a common shape by dropping and shrinking axes.</summary>
    public static Gen<(Shape Left, Shape Right)> BroadcastPair { get; } =
        from full in Any
        from left in BroadcastingTo(full)
        from right in BroadcastingTo(full)
        select (left, right);

    /// <summary>
    /// A shape that broadcasts with <paramref name="shape"/> (the result may be larger than either): each axis kept, set
    /// to 1, or (where <paramref name="shape"/> has size 1) grown; some leading axes dropped, or new leading axes added
    /// up to rank <see cref="MaxRank"/>.
    /// </summary>
    public static Gen<Shape> BroadcastPartner(Shape shape) =>
        from choices in Gen.ArrayOf(Gen.Choose(0, 2), shape.Rank)
        from grown in Gen.ArrayOf(Gen.Choose(1, MaxSize), shape.Rank)
        from dropped in Gen.Choose(0, shape.Rank)
        from added in Gen.ArrayOf(Gen.Choose(1, 3), MaxRank - shape.Rank).SelectMany(lead => Gen.Choose(0, lead.Length).Select(count => lead[..count]))
        let kept = shape.ToArray().Select((size, i) => size == 1 ? grown[i] : choices[i] == 0 ? 1 : size).Skip(dropped).ToArray()
        select new Shape(dropped > 0 ? kept : [.. added, .. kept]);

    /// <summary>One axis of a tensor of rank ≥ 1, sometimes written negatively (counted from the end).</summary>
    public static Gen<int> Axis(int rank) => Gen.Choose(-rank, rank - 1);

    /// <summary>
    /// A set of distinct axes of a tensor of <paramref name="rank"/>, in random order and each randomly written
    /// negatively; the empty set (which reductions read as "all axes") included.
    /// </summary>
    public static Gen<int[]> Axes(int rank) =>
        from subset in Gen.SubListOf(Enumerable.Range(0, rank).ToArray())
        from order in Gen.Shuffle(subset.ToArray())
        from negative in Gen.ArrayOf(Gen.Elements(false, true), order.Length)
        select order.Select((axis, i) => negative[i] ? axis - rank : axis).ToArray();

    /// <summary>A permutation of 0 … rank − 1.</summary>
    public static Gen<int[]> Permutation(int rank) => Gen.Shuffle(Enumerable.Range(0, rank).ToArray());
}
