using System.Numerics;

namespace TinyAutograd.Data;

/// <summary>
/// Cuts in-memory data into mini-batches, reshuffled every epoch from a seed. Batch gradient descent, SGD and
/// mini-batch SGD are the same loop with different batch sizes: N, 1 and m.
/// </summary>
/// <remarks>
/// <para>
/// <c>foreach (var batch in loader.Epoch(epoch)) { optimizer.ZeroGrad(); var loss = Loss.SquaredError(Model(batch.Features), batch.Targets); loss.Backward(); optimizer.Step(); }</c>
/// </para>
/// <para>
/// Every epoch visits each example exactly once (the last batch may be smaller unless <see cref="DropLast"/>). With
/// <see cref="Shuffle"/>, epoch e uses a permutation drawn from a <see cref="RandomSource"/> seeded by
/// (<see cref="Seed"/>, e): the same seed and epoch always give the same order, on any machine, so a run can be
/// resumed at any epoch; different epochs give different orders.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class DataLoader<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const ulong EpochStride = 0x9E3779B97F4A7C15UL;
    private readonly Tensor<T> _features;
    private readonly Tensor<T>? _targets;
    private readonly int[]? _labels;

    /// <summary>A loader over features [N, …] with a target tensor [N, …] (regression, one-hot or probability targets).</summary>
    /// <param name="features">The inputs, one example per row along axis 0.</param>
    /// <param name="targets">The targets, one per row along axis 0.</param>
    /// <param name="batchSize">Examples per batch: 1 for SGD, N for batch gradient descent.</param>
    /// <param name="shuffle">Draw a new order every epoch (otherwise the data set's order).</param>
    /// <param name="seed">The seed of the shuffles.</param>
    /// <param name="dropLast">Skip the last batch of an epoch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <exception cref="ArgumentException">The features are a scalar or empty, or the targets have another number of rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1, or above N with <paramref name="dropLast"/> (no batch at all).</exception>
    public DataLoader(Tensor<T> features, Tensor<T> targets, int batchSize, bool shuffle = true, ulong seed = 0, bool dropLast = false)
        : this(features, batchSize, shuffle, seed, dropLast)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Rank == 0 || targets.Shape[0] != Count)
        {
            throw new ArgumentException(
                $"DataLoader: the targets have shape {targets.Shape} but the features have {Count} rows (shape {features.Shape}); expected one target row per example.", nameof(targets));
        }
        _targets = targets;
    }

    /// <summary>A loader over features [N, …] with one integer class label per example (classification).</summary>
    /// <param name="features">The inputs, one example per row along axis 0.</param>
    /// <param name="labels">The class of each example; copied.</param>
    /// <param name="batchSize">Examples per batch: 1 for SGD, N for batch gradient descent.</param>
    /// <param name="shuffle">Draw a new order every epoch (otherwise the data set's order).</param>
    /// <param name="seed">The seed of the shuffles.</param>
    /// <param name="dropLast">Skip the last batch of an epoch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <exception cref="ArgumentException">The features are a scalar or empty, or there is not one label per row.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1, or above N with <paramref name="dropLast"/> (no batch at all).</exception>
    public DataLoader(Tensor<T> features, ReadOnlySpan<int> labels, int batchSize, bool shuffle = true, ulong seed = 0, bool dropLast = false)
        : this(features, batchSize, shuffle, seed, dropLast)
    {
        if (labels.Length != Count)
        {
            throw new ArgumentException(
                $"DataLoader: {labels.Length} labels for {Count} rows of features (shape {features.Shape}); expected one label per example.", nameof(labels));
        }
        _labels = labels.ToArray();
    }

    private DataLoader(Tensor<T> features, int batchSize, bool shuffle, ulong seed, bool dropLast)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rank == 0 || features.Shape[0] == 0)
        {
            throw new ArgumentException($"DataLoader: the features have shape {features.Shape}; expected at least one example along axis 0.", nameof(features));
        }
        _features = features;
        Count = features.Shape[0];
        if (batchSize < 1 || (dropLast && batchSize > Count))
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                $"DataLoader: batch size {batchSize} is out of range for {Count} examples; expected 1 to {Count}{(dropLast ? " with dropLast (a larger batch would never be full)" : " or more")}.");
        }
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
    }

    /// <summary>The number of examples N.</summary>
    public int Count { get; }

    /// <summary>Examples per batch (the last batch of an epoch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch draws a new order.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the shuffles.</summary>
    public ulong Seed { get; }

    /// <summary>Whether an incomplete last batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>The number of batches in every epoch.</summary>
    public int BatchesPerEpoch => DropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the examples: a permutation of 0 … N − 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public int[] Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = new int[Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        if (Shuffle)
        {
            new RandomSource(unchecked(Seed + (ulong)(epoch + 1) * EpochStride)).Shuffle(order.AsSpan());
        }
        return order;
    }

    /// <summary>The batches of epoch <paramref name="epoch"/>, gathered lazily with <see cref="Tensor{T}.IndexSelect"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public IEnumerable<Batch<T>> Epoch(int epoch)
    {
        return BatchesOver(Order(epoch));
    }

    /// <summary>
    /// The batches over the examples at positions <paramref name="order"/>, in that order (a sampler's choice, such as
    /// one rank's shard of <see cref="Order"/>); the last batch may be smaller unless <see cref="DropLast"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A position is outside 0 … N − 1.</exception>
    public IEnumerable<Batch<T>> Batches(IReadOnlyList<int> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var positions = order.ToArray();
        foreach (int position in positions)
        {
            if ((uint)position >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(order), position, $"DataLoader.Batches: example {position} does not exist; the data set holds examples 0 to {Count - 1}.");
            }
        }
        return BatchesOver(positions);
    }

    private IEnumerable<Batch<T>> BatchesOver(int[] order)
    {
        int batches = DropLast ? order.Length / BatchSize : (order.Length + BatchSize - 1) / BatchSize;
        for (int batch = 0; batch < batches; batch++)
        {
            int start = batch * BatchSize;
            var indices = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            yield return new Batch<T>(
                _features.IndexSelect(0, indices),
                _targets?.IndexSelect(0, indices),
                _labels is null ? null : Array.ConvertAll(indices, index => _labels[index]),
                indices);
        }
    }
}
