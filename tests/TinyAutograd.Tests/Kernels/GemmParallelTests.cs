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
    // 12×32 kernel, 11 row tiles, 8 column tiles; A read in place (8 per element), B transposed (32), as X·Wᵀ.
    // Rows: 72 lines, 72·256·784 + (8·72 + 32·256)·784 = 21,324,800; columns: 128 lines, 128·132·784 +
    // (32·128 + 8·132)·784 = 17,285,632, so columns.
    [InlineData(128, 256, 784, 12, 32, 2, 8, 32, 2, false)]
    // 22 row tiles, 25 column tiles, both operands copied (16), as Gᵀ·X. Rows: 132·800·128 + (16·132 + 16·800)·128 =
    // 15,425,536; columns: 416·264·128 + (16·416 + 16·264)·128 = 15,450,112, so rows.
    [InlineData(256, 784, 128, 12, 32, 2, 16, 16, 2, true)]
    // 6×16 kernel, 1024³ with A transposed into its panels (32) and B copied (16): rows 516·1024·1024 +
    // (32·516 + 16·1024)·1024 = 574,750,720; columns 512·1026·1024 + (16·512 + 32·1026)·1024 = 579,928,064, so rows.
    [InlineData(1024, 1024, 1024, 6, 16, 2, 32, 16, 2, true)]
    // The same product with both packs at one cost: columns (566,296,576 against 563,118,080), as the padding of the
    // 171st row tile outweighs the packing.
    [InlineData(1024, 1024, 1024, 6, 16, 2, 16, 16, 2, false)]
    // 8 threads: rows 24·256·784 + (8·24 + 32·256)·784 = 11,389,952; columns 32·132·784 + (32·32 + 8·132)·784 = 4,942,336.
    [InlineData(128, 256, 784, 12, 32, 8, 8, 32, 8, false)]
    // 6×16 kernel, a tall product with A read in place (8) and B transposed (32), as a transformer's X·Wᵀ: rows
    // 1026·128·128 + (8·1026 + 32·128)·128 = 18,384,896; columns 64·2052·128 + (32·64 + 8·2052)·128 = 19,173,376, so
    // rows. Were reading in place free (0), columns would win (17,072,128 against 17,334,272) and run 3–5% slower.
    [InlineData(2048, 128, 128, 6, 16, 2, 8, 32, 2, true)]
    [InlineData(2048, 128, 128, 6, 16, 2, 0, 32, 2, false)]
    // A single column tile: only rows can be split.
    [InlineData(24, 32, 1_000_000, 12, 32, 2, 16, 16, 2, true)]
    // A single tile each way: one thread however large.
    [InlineData(12, 32, 1_000_000, 12, 32, 2, 16, 16, 1, true)]
    // 327,680 multiply-adds, below the crossover.
    [InlineData(128, 10, 256, 12, 32, 2, 16, 16, 1, true)]
    // One thread allowed.
    [InlineData(128, 256, 784, 12, 32, 1, 8, 32, 1, true)]
    public void PlansThreadsAndSplitSide(int m, int n, int k, int mr, int nr, int maxThreads, long aCost, long bCost, int threads, bool splitRows) =>
        Assert.Equal((threads, splitRows), GemmParallel.Plan(m, n, k, mr, nr, MinWork, maxThreads, aCost, bCost));

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
                    var (threads, _) = GemmParallel.Plan(m, n, k, mr, nr, minWork, maxThreads: 2, aPackCost: 16, bPackCost: 16);
                    Assert.True(threads == 2, $"{m}×{n}×{k} on {caches} with a {mr}×{nr} kernel (crossover {minWork}) got {threads} thread(s)");
                }
            }
        }
    }

    /// <summary>
    /// The caller's share of a split moves a quarter of the way toward c/(c + o) of the measured rates, within half and
    /// one and a half times the even share, and stays put without a measurement.
    /// </summary>
    [Fact]
    public void TheCallersShareMovesTowardTheMeasuredBalance()
    {
        // Equal rates: the even share stays.
        Assert.Equal(0.5, SplitBalance.Moved(0.5, 2, 100, 50, 10, 10), 15);
        // The caller twice as fast (50 tiles in 10 ticks against 50 in 20): balanced at 2/3, a quarter of the way there.
        Assert.Equal(0.5 + (0.25 * ((2.0 / 3) - 0.5)), SplitBalance.Moved(0.5, 2, 100, 50, 10, 20), 15);
        // The caller slower: the share falls.
        Assert.True(SplitBalance.Moved(0.5, 2, 100, 50, 30, 10) < 0.5);
        // Far out of balance, many times over: held at three quarters or a quarter for two parts, 3/8 or 1/8 for four.
        double fast = 0.5, slow = 0.5, fastOfFour = 0.25;
        for (int i = 0; i < 50; i++)
        {
            fast = SplitBalance.Moved(fast, 2, 100, SplitBalance.TilesOf(fast, 100, 2), 1, 100);
            slow = SplitBalance.Moved(slow, 2, 100, SplitBalance.TilesOf(slow, 100, 2), 100, 1);
            fastOfFour = SplitBalance.Moved(fastOfFour, 4, 100, SplitBalance.TilesOf(fastOfFour, 100, 4), 1, 100);
        }
        Assert.Equal(0.75, fast, 15);
        Assert.Equal(0.25, slow, 15);
        Assert.Equal(0.375, fastOfFour, 15);
        // No measurement (a part that took no ticks): unchanged.
        Assert.Equal(0.6, SplitBalance.Moved(0.6, 2, 100, 60, 0, 10));
    }

    [Theory]
    // 171 row tiles of a 1024-row product (6-row tiles) halved: 85.5 rounds to 86.
    [InlineData(0.5, 171, 2, 86)]
    [InlineData(0.75, 4, 2, 3)]
    // At least one tile for the caller, and one left for each other part.
    [InlineData(0.01, 10, 2, 1)]
    [InlineData(0.99, 4, 4, 1)]
    public void TheCallersTilesAreItsShareRoundedLeavingEveryPartATile(double share, int tiles, int parts, int expected) =>
        Assert.Equal(expected, SplitBalance.TilesOf(share, tiles, parts));
}
