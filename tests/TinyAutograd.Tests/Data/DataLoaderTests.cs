using TinyAutograd.Data;

namespace TinyAutograd.Tests.Data;

public sealed class DataLoaderTests
{
    private const int N = 10;

    /// <summary>Row i of the features is (i, 10 + i) and its target is 100 + i, so each batch row can be traced back.</summary>
    private static DataLoader<double> Loader(int batchSize, bool shuffle = true, ulong seed = 7, bool dropLast = false)
    {
        var features = Tensor.FromArray(Enumerable.Range(0, N).SelectMany(i => new double[] { i, 10 + i }).ToArray(), N, 2);
        var targets = Tensor.FromArray(Enumerable.Range(0, N).Select(i => 100.0 + i).ToArray(), N, 1);
        return new DataLoader<double>(features, targets, batchSize, shuffle, seed, dropLast);
    }

    [Fact]
    public void EveryEpoch_VisitsEachExampleExactlyOnce_WithMatchingRows()
    {
        var loader = Loader(batchSize: 3);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var batches = loader.Epoch(epoch).ToList();
            Assert.Equal([3, 3, 3, 1], batches.Select(b => b.Count));
            var seen = batches.SelectMany(b => b.Indices.ToArray()).ToList();
            Assert.Equal(Enumerable.Range(0, N), seen.Order());
            foreach (var batch in batches)
            {
                for (int row = 0; row < batch.Count; row++)
                {
                    int index = batch.Indices[row];
                    Assert.Equal(index, batch.Features[row, 0]);
                    Assert.Equal(10 + index, batch.Features[row, 1]);
                    Assert.Equal(100 + index, batch.Targets[row, 0]);
                }
            }
        }
    }

    [Fact]
    public void Shuffling_IsReproducibleFromTheSeed_AndDiffersBetweenEpochsAndSeeds()
    {
        Assert.Equal(Loader(3, seed: 7).Order(0), Loader(3, seed: 7).Order(0));
        Assert.Equal(Loader(3, seed: 7).Order(4), Loader(3, seed: 7).Order(4));
        Assert.NotEqual(Loader(3, seed: 7).Order(0), Loader(3, seed: 7).Order(1));
        Assert.NotEqual(Loader(3, seed: 7).Order(0), Loader(3, seed: 8).Order(0));
        Assert.NotEqual(Enumerable.Range(0, N), Loader(3).Order(0));
    }

    [Fact]
    public void WithoutShuffle_KeepsTheDataSetOrder()
    {
        var loader = Loader(4, shuffle: false);
        Assert.Equal(Enumerable.Range(0, N), loader.Order(0));
        Assert.Equal(Enumerable.Range(0, N), loader.Order(3));
    }

    [Fact]
    public void DropLast_SkipsTheIncompleteBatch()
    {
        var loader = Loader(batchSize: 3, dropLast: true);
        var batches = loader.Epoch(0).ToList();
        Assert.Equal(3, loader.BatchesPerEpoch);
        Assert.Equal([3, 3, 3], batches.Select(b => b.Count));
        var seen = batches.SelectMany(b => b.Indices.ToArray()).ToList();
        Assert.Equal(9, seen.Distinct().Count());
        Assert.Equal(loader.Order(0)[..9], seen);
    }

    [Fact]
    public void BatchSizesNAndOne_GiveBatchGradientDescentAndSgd()
    {
        Assert.Single(Loader(N).Epoch(0));
        Assert.Equal(N, Loader(N).Epoch(0).Single().Count);
        Assert.Equal(N, Loader(1).Epoch(0).Count());
        Assert.All(Loader(1).Epoch(0), batch => Assert.Equal(1, batch.Count));
    }

    [Fact]
    public void IntegerLabels_AreGatheredAlongWithTheFeatures()
    {
        var features = Tensor.FromArray(Enumerable.Range(0, N).Select(i => (double)i).ToArray(), N, 1);
        int[] labels = [.. Enumerable.Range(0, N).Select(i => i % 3)];
        var loader = new DataLoader<double>(features, labels, batchSize: 4, seed: 1);
        foreach (var batch in loader.Epoch(0))
        {
            Assert.True(batch.HasLabels);
            for (int row = 0; row < batch.Count; row++)
            {
                Assert.Equal((int)batch.Features[row, 0] % 3, batch.Labels[row]);
            }
            Assert.Throws<InvalidOperationException>(() => batch.Targets);
        }
        Assert.Throws<InvalidOperationException>(() => Loader(2).Epoch(0).First().Labels.Length);
    }

    [Fact]
    public void BadArguments_AreRejectedWithTheShapesInvolved()
    {
        var features = Tensor.Zeros<double>(N, 2);
        var error = Assert.Throws<ArgumentException>(() => new DataLoader<double>(features, Tensor.Zeros<double>(N - 1, 1), 2));
        Assert.Contains("[9, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("10 rows", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new DataLoader<double>(features, new int[N + 1], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader<double>(features, new int[N], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader<double>(features, new int[N], N + 1, dropLast: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loader(2).Order(-1));
    }

    [Fact]
    public void Batches_OverAGivenOrder_VisitThoseExamplesInThatOrder()
    {
        int[] order = [7, 2, 9, 0, 5];
        var batches = Loader(2).Batches(order).ToArray();
        Assert.Equal([2, 2, 1], batches.Select(b => b.Count).ToArray());
        Assert.Equal(order, batches.SelectMany(b => b.Indices.ToArray()).ToArray());
        Assert.Equal(order.Select(i => (double)i).ToArray(), batches.SelectMany(b => Enumerable.Range(0, b.Count).Select(r => b.Features[r, 0])).ToArray());
        Assert.Equal(2, Loader(2, dropLast: true).Batches(order).Count());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Loader(2).Batches([1, N]).ToArray());
        Assert.Contains($"example {N} does not exist", error.Message, StringComparison.Ordinal);
    }
}
