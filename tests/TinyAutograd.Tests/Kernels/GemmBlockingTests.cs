using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="GemmBlocking.Derive"/>, a pure function of the cache sizes: worked examples computed by hand,
/// and on random cache sizes that each block is the largest multiple of its step that fits its share of the cache.
/// </summary>
public sealed class GemmBlockingTests
{
    public static TheoryData<(long L1, long L2, long L3, int SharedBy), (int Mr, int Nr, int Bytes), (int Kc, int Nc, int Mc, long Slab, long MinWork)> WorkedExamples() => new()
    {
        // 48 KiB L1, 1.25 MiB L2, 48 MiB L3 for 2 CPUs; 12×32 float kernel: Kc = ⌊49152/176⌋ = 279 → 272,
        // Nc = ⌊655360/1088⌋ = 602 → 576, Mc = ⌊12582912/1088⌋ = 11565 → 11556, slab = 12582912/4, work = 12·272·576.
        { (48 << 10, 1280 << 10, 48L << 20, 2), (12, 32, 4), (272, 576, 11556, 3_145_728, 1_880_064) },
        // 32 KiB L1, 2 MiB L2, 32 MiB L3 for 2 CPUs; 12×16 double kernel: Kc = ⌊32768/224⌋ = 146 → 144,
        // Nc = ⌊1048576/1152⌋ = 910 → 896, Mc = ⌊8388608/1152⌋ = 7281 → 7272, slab = 8388608/8, work = 12·144·896.
        { (32 << 10, 2 << 20, 32L << 20, 2), (12, 16, 8), (144, 896, 7272, 1_048_576, 1_548_288) },
        // 32 KiB L1, 256 KiB L2, 8 MiB L3 for 8 CPUs; 6×16 float kernel: Kc = ⌊32768/88⌋ = 372 → 368,
        // Nc = ⌊131072/1472⌋ = 89 → 80, Mc = ⌊524288/1472⌋ = 356 → 354, slab = 524288/4, work = 6·368·80.
        { (32 << 10, 256 << 10, 8L << 20, 8), (6, 16, 4), (368, 80, 354, 131_072, 176_640) },
        // Caches too small for the formulas, no L3 (L2 is the last level): every block is one step (16, Nr, Mr).
        { (1 << 10, 2 << 10, 0, 1), (12, 32, 4), (16, 32, 12, 256, 6_144) },
    };

    [Theory]
    [MemberData(nameof(WorkedExamples))]
    public void MatchesWorkedExamples(
        (long L1, long L2, long L3, int SharedBy) caches, (int Mr, int Nr, int Bytes) kernel, (int Kc, int Nc, int Mc, long Slab, long MinWork) expected) =>
        Assert.Equal(
            new GemmBlocking(expected.Kc, expected.Nc, expected.Mc, expected.Slab, expected.MinWork),
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
            Assert.True(blocking.SlabElements == lastLevelShare / 2 / bytes, context);
            Assert.True(blocking.MinWorkPerThread == (long)mr * blocking.Kc * blocking.Nc, context);
            int rows = random.Next(1, 5000);
            int slab = blocking.SlabColumns(rows, nr);
            Assert.True(slab >= blocking.Nc && slab % nr == 0, context);
            Assert.True(slab == blocking.Nc || ((long)slab * rows <= blocking.SlabElements && (long)(slab + nr) * rows > blocking.SlabElements), $"{context}: {slab} columns for {rows} rows");
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
