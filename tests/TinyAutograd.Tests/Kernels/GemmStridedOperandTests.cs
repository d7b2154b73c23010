using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Operands whose rows lie farther apart than they are long (leading dimensions, as attention reads each head's rows among
/// the other heads'), and windows of a packed B's depth: each gives exactly the bits of the same product on compact
/// copies, and leaves the elements between the rows alone. The class changes <see cref="Parallelism.MaxThreads"/>, so it
/// joins the non-parallel "Gemm thread count" collection.
/// </summary>
[Collection("Gemm thread count")]
public sealed class GemmStridedOperandTests
{
    /// <summary>
    /// A (both storage orders) with rows <c>lda</c> apart, B packed from rows <c>ldb</c> apart (both storage orders) and C
    /// with rows <c>ldc</c> apart, accumulating or not, on one and two threads, against compact A, B and C: the same bits in
    /// C's rows, and the gaps between them untouched. Sizes span a ragged micro-tile, a narrow product whose A is read in
    /// place, and a wide one whose A is packed.
    /// </summary>
    [Theory]
    [InlineData(13, 37, 21)]
    [InlineData(48, 32, 24)]
    [InlineData(70, 600, 40)]
    public void StridedRowsGiveTheCompactBits(int m, int n, int k)
    {
        AssertStridedMatchesCompact<float>(m, n, k);
        AssertStridedMatchesCompact<double>(m, n, k);
    }

    /// <summary>
    /// Rows [offset, offset + k′) of a B packed whole for depth k in one depth block (<c>depthOffset</c>), as attention's
    /// backward reads one block of queries' rows, give exactly the blocked driver's bits for those rows alone: windows at
    /// the start, inside and at the end of the depth, down to one row.
    /// </summary>
    [Theory]
    [InlineData(13, 37, 100, 0, 24)]
    [InlineData(24, 32, 128, 48, 24)]
    [InlineData(7, 16, 50, 49, 1)]
    [InlineData(30, 20, 64, 17, 47)]
    public void DepthWindowOfAPackedRightOperandGivesTheBlockedDriversBits(int m, int n, int k, int offset, int depth)
    {
        AssertWindowMatchesBlocked<float>(m, n, k, offset, depth);
        AssertWindowMatchesBlocked<double>(m, n, k, offset, depth);
    }

    /// <summary>
    /// Bad strides and windows are refused with what was wrong: rows closer than they are long, a span too short for
    /// the strided rows (naming the rows' distance), a window past the packed depth, and a window without a packed depth.
    /// </summary>
    [Fact]
    public void BadStridesAndWindowsAreRejected()
    {
        var packed = new float[Gemm.PackedRightLength<float>(8, 4)];
        var close = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.PackRight<float>(new float[64], false, 8, 4, packed, ldb: 3));
        Assert.Contains("3 elements apart, fewer than the 4", close.Message, StringComparison.Ordinal);

        var shortA = Assert.Throws<ArgumentException>(() =>
            Gemm.MultiplyPacked<float>(new float[5 * 10], false, packed, new float[6 * 4], 6, 4, 8, lda: 10));
        Assert.Contains("A is 6×8 (stored 6×8 with rows 10 apart) and needs 58", shortA.Message, StringComparison.Ordinal);

        var shortC = Assert.Throws<ArgumentException>(() =>
            Gemm.MultiplyPacked<float>(new float[6 * 8], false, packed, new float[6 * 4], 6, 4, 8, ldc: 5));
        Assert.Contains("needs 29", shortC.Message, StringComparison.Ordinal);

        var past = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.MultiplyPacked<float>(new float[6 * 4], false, packed, new float[6 * 4], 6, 4, 4, packedDepth: 8, depthOffset: 5));
        Assert.Contains("from depth 5 on", past.Message, StringComparison.Ordinal);
        Assert.Contains("at least 9", past.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.MultiplyPacked<float>(new float[6 * 4], false, packed, new float[6 * 4], 6, 4, 4, depthOffset: 2));
    }

    private static void AssertStridedMatchesCompact<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m + (7 * n) + (31 * k));
        int saved = Parallelism.MaxThreads;
        try
        {
            foreach (var (transposeA, transposeB, accumulate, threads) in
                from ta in new[] { false, true } from tb in new[] { false, true } from acc in new[] { false, true } from th in new[] { 1, 2 } select (ta, tb, acc, th))
            {
                Parallelism.MaxThreads = threads;
                var (aRows, aColumns) = transposeA ? (k, m) : (m, k);
                var (bRows, bColumns) = transposeB ? (n, k) : (k, n);
                int lda = aColumns + 3, ldb = bColumns + 5, ldc = n + 7;
                T[] a = GemmTests.RandomArray<T>(random, aRows * lda), b = GemmTests.RandomArray<T>(random, bRows * ldb);
                T[] strided = GemmTests.RandomArray<T>(random, m * ldc), compact = Compact(strided, m, n, ldc);
                T[] packedStrided = new T[Gemm.PackedRightLength<T>(k, n)], packedCompact = new T[packedStrided.Length];
                Gemm.PackRight<T>(b, transposeB, k, n, packedStrided, ldb);
                Gemm.PackRight<T>(Compact(b, bRows, bColumns, ldb), transposeB, k, n, packedCompact);
                Gemm.MultiplyPacked<T>(a, transposeA, packedStrided, strided, m, n, k, accumulate, lda: lda, ldc: ldc);
                Gemm.MultiplyPacked<T>(Compact(a, aRows, aColumns, lda), transposeA, packedCompact, compact, m, n, k, accumulate);
                string where = $"{typeof(T).Name} {m}×{n}×{k}, transposeA={transposeA}, transposeB={transposeB}, accumulate={accumulate}, {threads} thread(s)";
                Assert.True(packedStrided.AsSpan().SequenceEqual(packedCompact), $"{where}: B packed from strided rows differs from B packed compact.");
                for (int i = 0; i < m; i++)
                {
                    Assert.True(strided.AsSpan(i * ldc, n).SequenceEqual(compact.AsSpan(i * n, n)), $"{where}: row {i} of C differs from the compact product's.");
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    /// <summary>The [rows, columns] matrix whose rows lie <paramref name="stride"/> apart in <paramref name="values"/>, compact.</summary>
    private static T[] Compact<T>(T[] values, int rows, int columns, int stride)
    {
        var compact = new T[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            values.AsSpan(i * stride, columns).CopyTo(compact.AsSpan(i * columns));
        }
        return compact;
    }

    private static void AssertWindowMatchesBlocked<T>(int m, int n, int k, int offset, int depth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m + n + k + offset + depth);
        T[] a = GemmTests.RandomArray<T>(random, m * depth), b = GemmTests.RandomArray<T>(random, k * n);
        var packed = new T[Gemm.PackedRightLength<T>(k, n)];
        Gemm.PackRight<T>(b, false, k, n, packed);
        T[] blocked = new T[m * n], fromWindow = new T[m * n];
        Gemm.Multiply<T>(a, false, b.AsSpan(offset * n, depth * n), false, blocked, m, n, depth);
        Gemm.MultiplyPacked<T>(a, false, packed, fromWindow, m, n, depth, packedDepth: k, depthOffset: offset);
        Assert.True(blocked.AsSpan().SequenceEqual(fromWindow),
            $"{typeof(T).Name} {m}×{n} over rows [{offset}, {offset + depth}) of a {k}×{n} B packed whole: the window differs from the blocked driver's product.");
    }
}
