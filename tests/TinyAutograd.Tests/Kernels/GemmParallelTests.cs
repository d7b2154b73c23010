using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="GemmParallel.Plan"/>, a pure function of the shape and the blocking: how many threads a product
/// gets and along which side of C it is split. That the split leaves the result bit-identical is checked in
/// <see cref="GemmTests"/>.
/// </summary>
public sealed class GemmParallelTests
{
    /// <summary>The second-thread crossover of a 12×32 float kernel on 48 KiB L1 and 1.25 MiB L2 (12·272·576).</summary>
    private const long MinWork = 1_880_064;

    [Theory]
    // 11 row tiles, 8 column tiles. Rows: 6·12 = 72 lines, 72·256·784 + 4·(72 + 256)·784 = 15,479,296;
    // columns: 4·32 = 128 lines, 128·132·784 + 4·(128 + 132)·784 = 14,061,824, so columns.
    [InlineData(128, 256, 784, 2, 2, false)]
    // 22 row tiles, 25 column tiles. Rows: 132·800·128 + 4·(132 + 800)·128 = 13,993,984;
    // columns: 416·264·128 + 4·(416 + 264)·128 = 14,405,632, so rows.
    [InlineData(256, 784, 128, 2, 2, true)]
    // 8 threads: rows 24·256·784 + 4·(24 + 256)·784 = 5,694,976; columns 32·132·784 + 4·(32 + 132)·784 = 3,825,920.
    [InlineData(128, 256, 784, 8, 8, false)]
    // A single column tile: only rows can be split.
    [InlineData(24, 32, 1_000_000, 2, 2, true)]
    // A single tile each way: one thread however large.
    [InlineData(12, 32, 1_000_000, 2, 1, true)]
    // 327,680 multiply-adds, below the crossover.
    [InlineData(128, 10, 256, 2, 1, true)]
    // One thread allowed.
    [InlineData(128, 256, 784, 1, 1, true)]
    public void PlansThreadsAndSplitSide(int m, int n, int k, int maxThreads, int threads, bool splitRows) =>
        Assert.Equal((threads, splitRows), GemmParallel.Plan(m, n, k, 12, 32, MinWork, maxThreads));

    [Fact]
    public void MlpSizedProductsAndTheirBackwardUseTwoThreads()
    {
        // A 784-256-256-10 network on a batch of 128: the forward products X·Wᵀ, the weight gradients Gᵀ·X and the
        // input gradients G·W, as m×n×k.
        (int M, int N, int K)[] products = [(128, 256, 784), (128, 256, 256), (256, 784, 128), (256, 256, 128), (128, 784, 256)];
        CacheSizes[] machines = [new(48 << 10, 1280 << 10, 48L << 20, 2), new(32 << 10, 2 << 20, 32L << 20, 2), new(32 << 10, 256 << 10, 8L << 20, 8)];
        (int Mr, int Nr)[] kernels = [(12, 32), (6, 16)];
        foreach (var caches in machines)
        {
            foreach (var (mr, nr) in kernels)
            {
                long minWork = GemmBlocking.Derive(caches, mr, nr, sizeof(float)).MinWorkPerThread;
                foreach (var (m, n, k) in products)
                {
                    var (threads, _) = GemmParallel.Plan(m, n, k, mr, nr, minWork, maxThreads: 2);
                    Assert.True(threads == 2, $"{m}×{n}×{k} on {caches} with a {mr}×{nr} kernel (crossover {minWork}) got {threads} thread(s)");
                }
            }
        }
    }
}
