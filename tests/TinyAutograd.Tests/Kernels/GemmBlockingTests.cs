using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="GemmBlocking.Derive"/>, a pure function of the cache sizes: worked examples computed by hand,
/// and on random cache sizes that each block is the largest multiple of its step that fits its share of the cache.
/// </summary>
public sealed class GemmBlockingTests
{
    public static TheoryData<(long L1, long L2, long L3, int SharedBy), (int Mr, int Nr, int Bytes), (int Kc, int Nc, int Mc, long MinWork)> WorkedExamples() => new()
    {
        // 48 KiB L1, 1.25 MiB L2, 48 MiB L3 for 2 CPUs; 12×32 float kernel: Kc = ⌊49152/176⌋ = 279 → 272,
        // Nc = ⌊655360/1088⌋ = 602 → 576, Mc = ⌊12582912/1088⌋ = 11565 → 11556, work = 12·272·576.
        { (48 << 10, 1280 << 10, 48L << 20, 2), (12, 32, 4), (272, 576, 11556, 1_880_064) },
        // 32 KiB L1, 2 MiB L2, 32 MiB L3 for 2 CPUs; 12×16 double kernel: Kc = ⌊32768/224⌋ = 146 → 144,
        // Nc = ⌊1048576/1152⌋ = 910 → 896, Mc = ⌊8388608/1152⌋ = 7281 → 7272, work = 12·144·896.
        { (32 << 10, 2 << 20, 32L << 20, 2), (12, 16, 8), (144, 896, 7272, 1_548_288) },
        // 32 KiB L1, 256 KiB L2, 8 MiB L3 for 8 CPUs; 6×16 float kernel: Kc = ⌊32768/88⌋ = 372 → 368,
        // Nc = ⌊131072/1472⌋ = 89 → 80, Mc = ⌊524288/1472⌋ = 356 → 354, work = 6·368·80.
        { (32 << 10, 256 << 10, 8L << 20, 8), (6, 16, 4), (368, 80, 354, 176_640) },
        // Caches too small for the formulas, no L3 (L2 is the last level): every block is one step (16, Nr, Mr).
        { (1 << 10, 2 << 10, 0, 1), (12, 32, 4), (16, 32, 12, 6_144) },
    };

    [Theory]
    [MemberData(nameof(WorkedExamples))]
    public void MatchesWorkedExamples(
        (long L1, long L2, long L3, int SharedBy) caches, (int Mr, int Nr, int Bytes) kernel, (int Kc, int Nc, int Mc, long MinWork) expected) =>
        Assert.Equal(
            new GemmBlocking(expected.Kc, expected.Nc, expected.Mc, expected.MinWork),
            GemmBlocking.Derive(new CacheSizes(caches.L1, caches.L2, caches.L3, caches.SharedBy), kernel.Mr, kernel.Nr, kernel.Bytes));

    [Fact]
    public void EachBlockIsTheLargestStepMultipleThatFitsItsShare()
    {
        var random = new Random(18);
        (int Mr, int Nr, int Bytes)[] kernels = [(12, 32, 4), (12, 16, 8), (6, 16, 4), (6, 8, 8), (4, 4, 4)];
        for (int trial = 0; trial < 200; trial++)
        {
            var caches = new CacheSizes(
                random.Next(16, 129) << 10, random.Next(256, 4097) << 10, random.Next(2) == 0 ? 0 : (long)random.Next(4, 257) << 20, random.Next(1, 65));
            var (mr, nr, bytes) = kernels[random.Next(kernels.Length)];
            var blocking = GemmBlocking.Derive(caches, mr, nr, bytes);
            string context = $"{caches} with a {mr}×{nr} kernel of {bytes}-byte elements gave {blocking}";

            AssertLargestFit(blocking.Kc, 16, k => (long)k * (mr + nr) * bytes <= caches.L1Data, context);
            AssertLargestFit(blocking.Nc, nr, n => (long)blocking.Kc * n * bytes <= caches.L2 / 2, context);
            long lastLevelShare = caches.L3 > 0 ? caches.L3 / caches.L3SharedBy : caches.L2;
            AssertLargestFit(blocking.Mc, mr, m => (long)blocking.Kc * m * bytes <= lastLevelShare / 2, context);
            Assert.True(blocking.MinWorkPerThread == (long)mr * blocking.Kc * blocking.Nc, context);
        }
    }

    /// <summary>Depth blocks of a 368-deep blocking, by hand: 2048 = 6 blocks, ⌈2048/6⌉ = 342 → 352 (5·352 + 288);
    /// 784 = 3 blocks, 262 → 272 (272 + 272 + 240); 384 = 192 + 192 (not 368 + 16); 368 and 100 are one block.</summary>
    [Theory]
    [InlineData(2048, 352)]
    [InlineData(784, 272)]
    [InlineData(384, 192)]
    [InlineData(369, 192)]
    [InlineData(368, 368)]
    [InlineData(100, 100)]
    public void DepthBlocksMatchWorkedExamples(int k, int expected) =>
        Assert.Equal(expected, new GemmBlocking(368, 80, 354, 176_640).DepthBlock(k));

    [Fact]
    public void DepthBlocksAreAsFewAndAsEvenAsTheRoundingAllows()
    {
        var random = new Random(19);
        for (int trial = 0; trial < 2000; trial++)
        {
            var blocking = new GemmBlocking(16 * random.Next(1, 40), 16, 6, 1);
            int k = random.Next(1, 20_000);
            int depth = blocking.DepthBlock(k);
            int fewest = (k + blocking.Kc - 1) / blocking.Kc;
            int evenShare = (k + fewest - 1) / fewest;
            string context = $"k = {k}, Kc = {blocking.Kc}: depth block {depth}";
            Assert.True(depth <= blocking.Kc && (depth == k || depth % 16 == 0), context);
            Assert.True((k + depth - 1) / depth == fewest, $"{context} takes more than the fewest {fewest} blocks");
            Assert.True(depth >= evenShare && depth < evenShare + 16, $"{context} is not the even share {evenShare} rounded up to 16");
        }
    }

    /// <summary>The value is a positive multiple of the step that fits, and one step more does not.</summary>
    private static void AssertLargestFit(int value, int step, Func<int, bool> fits, string context)
    {
        Assert.True(value > 0 && value % step == 0, $"not a positive multiple of {step}: {context}");
        Assert.True(fits(value) || value == step, $"{value} does not fit: {context}");
        Assert.False(fits(value + step), $"{value + step} would also fit: {context}");
    }
}
