using System.Numerics;
using TinyAutograd.Data;

namespace TinyAutograd.Distributed;

/// <summary>
/// One rank's share of a <see cref="DataLoader{T}"/>'s epochs: the ranks split each epoch's order into disjoint
/// shards of equal size, reshuffled every epoch from the loader's seed, which every rank shares.
/// </summary>
/// <remarks>
/// <para>
/// Rank r of R takes positions r, r + R, r + 2R, … of the loader's <see cref="DataLoader{T}.Order"/> for the epoch,
/// ⌊N / R⌋ examples (the last N mod R of the order sit the epoch out, a different few each epoch), and cuts them
/// into batches of the loader's batch size b. Step s of all ranks together then covers positions s·R·b … (s + 1)·R·b − 1
/// of the order: the same examples as one process taking batches of R·b from a loader with the same seed.
/// </para>
/// <para>Every rank makes the same number of steps, as data-parallel training needs.</para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class DistributedSampler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DataLoader<T> _loader;

    /// <summary>The shard of this process's rank in <paramref name="communicator"/>.</summary>
    /// <exception cref="ArgumentException">The data set has fewer examples than there are ranks.</exception>
    public DistributedSampler(DataLoader<T> loader, Communicator communicator)
        : this(loader, (communicator ?? throw new ArgumentNullException(nameof(communicator))).Rank, communicator.Size)
    {
    }

    /// <summary>The shard of rank <paramref name="rank"/> of <paramref name="ranks"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ranks"/> is below 1 or <paramref name="rank"/> outside 0 … ranks − 1.</exception>
    /// <exception cref="ArgumentException">The data set has fewer examples than there are ranks.</exception>
    public DistributedSampler(DataLoader<T> loader, int rank, int ranks)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, ranks);
        if (loader.Count < ranks)
        {
            throw new ArgumentException($"DistributedSampler: {loader.Count} examples cannot give each of {ranks} ranks at least one.", nameof(loader));
        }
        _loader = loader;
        Rank = rank;
        Ranks = ranks;
    }

    /// <summary>This shard's rank.</summary>
    public int Rank { get; }

    /// <summary>The number of ranks (shards).</summary>
    public int Ranks { get; }

    /// <summary>Examples in each rank's shard per epoch: ⌊N / ranks⌋.</summary>
    public int ShardSize => _loader.Count / Ranks;

    /// <summary>Batches per epoch, the same on every rank.</summary>
    public int BatchesPerEpoch => _loader.DropLast ? ShardSize / _loader.BatchSize : (ShardSize + _loader.BatchSize - 1) / _loader.BatchSize;

    /// <summary>The positions of this rank's examples in epoch <paramref name="epoch"/>, in visiting order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public int[] Indices(int epoch)
    {
        var order = _loader.Order(epoch);
        var shard = new int[ShardSize];
        for (int i = 0; i < shard.Length; i++)
        {
            shard[i] = order[Rank + i * Ranks];
        }
        return shard;
    }

    /// <summary>This rank's batches of epoch <paramref name="epoch"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public IEnumerable<Batch<T>> Epoch(int epoch) => _loader.Batches(Indices(epoch));
}
