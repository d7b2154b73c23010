using TinyAutograd.Data;

namespace TinyAutograd.Distributed.Tests;

public sealed class DistributedSamplerTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 48, 2, 6 },
        { 50, 3, 4 },
        { 7, 7, 1 },
        { 101, 4, 5 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Shards_are_disjoint_equal_and_cover_the_epoch_order_but_the_last_few(int count, int ranks, int batchSize)
    {
        var loader = Loader(count, batchSize);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var shards = Enumerable.Range(0, ranks).Select(r => new DistributedSampler<double>(loader, r, ranks).Indices(epoch)).ToArray();
            var all = shards.SelectMany(s => s).ToArray();

            Assert.All(shards, shard => Assert.Equal(count / ranks, shard.Length));
            Assert.Equal(all.Length, all.Distinct().Count());
            Assert.Equal(loader.Order(epoch).Take(count / ranks * ranks).Order(), all.Order());
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Each_step_of_all_ranks_covers_one_batch_of_a_single_loader_with_ranks_times_the_batch_size(int count, int ranks, int batchSize)
    {
        var loader = Loader(count, batchSize);
        var single = Loader(count, ranks * batchSize);
        var samplers = Enumerable.Range(0, ranks).Select(r => new DistributedSampler<double>(loader, r, ranks)).ToArray();
        var steps = samplers.Select(s => s.Epoch(1).ToArray()).ToArray();
        var reference = single.Epoch(1).ToArray();

        Assert.All(samplers, s => Assert.Equal(steps[0].Length, s.BatchesPerEpoch));
        for (int step = 0; step < count / ranks / batchSize; step++)
        {
            var together = steps.SelectMany(rank => rank[step].Indices.ToArray()).Order();
            Assert.Equal(reference[step].Indices.ToArray().Order(), together);
        }
    }

    [Fact]
    public void The_shuffle_differs_between_epochs_and_is_the_same_for_the_same_seed()
    {
        var first = new DistributedSampler<double>(Loader(40, 4), 1, 2);
        var again = new DistributedSampler<double>(Loader(40, 4), 1, 2);

        Assert.Equal(first.Indices(3), again.Indices(3));
        Assert.NotEqual(first.Indices(3), first.Indices(4));
    }

    [Fact]
    public void A_rank_outside_the_job_or_more_ranks_than_examples_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler<double>(Loader(10, 2), 2, 2));
        var error = Assert.Throws<ArgumentException>(() => new DistributedSampler<double>(Loader(3, 1), 0, 4));
        Assert.Contains("3 examples cannot give each of 4 ranks", error.Message, StringComparison.Ordinal);
    }

    private static DataLoader<double> Loader(int count, int batchSize) =>
        new(Tensor.FromArray(Enumerable.Range(0, count).Select(i => (double)i).ToArray(), count, 1), new int[count], batchSize, shuffle: true, seed: 5);
}
