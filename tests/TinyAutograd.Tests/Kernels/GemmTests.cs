using System.Globalization;
using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="Gemm.Multiply{T}"/> against a naive triple loop accumulated in double.
/// Tolerance for element (i, j):
/// |got − ref| ≤ tol · max(k, 1) · (Σ_p |op(A)[i,p]·op(B)[p,j]| + |C₀[i,j]|) + tiny,
/// with tol = 1e-12 for double, 1e-5 for float and 2e-3 for Half (C₀ is the prior C when accumulating, else 0).
/// The class changes <see cref="Parallelism.MaxThreads"/>, so it joins the non-parallel "Gemm thread count" collection.
/// </summary>
[Collection("Gemm thread count")]
public sealed class GemmTests
{
    private const double DoubleTolerance = 1e-12;
    private const double FloatTolerance = 1e-5;

    /// <summary>Guard elements placed after each operand; they must never be read into C nor written.</summary>
    private const int Guard = 5;

    private static readonly int[] Awkward = [1, 2, 7, 17, 31, 33, 64, 65, 127, 257];

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int s in Awkward)
        {
            data.Add(s, s, s);
        }

        (int M, int N, int K)[] mixed =
        [
            (2, 3, 4), (1, 257, 33), (257, 1, 65), (33, 65, 1), (7, 127, 257), (127, 7, 31), (65, 257, 17),
            (17, 31, 33), (31, 33, 64), (257, 64, 7), (64, 17, 257), (1, 1, 257), (13, 257, 2), (127, 65, 33),
            (0, 5, 7), (5, 0, 7), (5, 7, 0), (0, 0, 0),
        ];
        foreach ((int m, int n, int k) in mixed)
        {
            data.Add(m, n, k);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DoubleMatchesNaiveProduct(int m, int n, int k) => CheckAllFlags<double>(m, n, k, DoubleTolerance);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FloatMatchesNaiveProduct(int m, int n, int k) => CheckAllFlags<float>(m, n, k, FloatTolerance);

    [Theory]
    [InlineData(2, 3, 4)]
    [InlineData(13, 9, 11)]
    public void HalfUsesPortablePath(int m, int n, int k) => CheckAllFlags<Half>(m, n, k, 2e-3);

    /// <summary>
    /// C wider than one packed B block (<see cref="GemmBlocking.Nc"/> columns) and deeper than one depth block
    /// (<see cref="GemmBlocking.Kc"/>), for whichever kernel runs here: the blocks must join without a seam.
    /// </summary>
    [Fact]
    public void ProductsWiderAndDeeperThanOneBlockMatchNaiveProduct()
    {
        CheckAllFlags<float>(7, Widest<float>(b => b.Nc) + 17, Widest<float>(b => b.Kc) + 3, FloatTolerance);
        CheckAllFlags<double>(7, Widest<double>(b => b.Nc) + 17, Widest<double>(b => b.Kc) + 3, DoubleTolerance);
    }

    private static int Widest<T>(Func<GemmBlocking, int> size)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Math.Max(
            size(GemmBlocking<T, GemmMicroKernel512<T>>.Value),
            Math.Max(size(GemmBlocking<T, GemmMicroKernel256<T>>.Value), size(GemmBlocking<T, GemmMicroKernelScalar<T>>.Value)));

    [Theory]
    [InlineData(300, 300, 300)]
    [InlineData(600, 100, 200)]
    [InlineData(50, 700, 150)]
    [InlineData(1000, 97, 513)]
    [InlineData(128, 256, 784)] // an MLP layer's forward (split along columns), and with the flags its backward forms
    [InlineData(256, 784, 128)] // its weight gradient Gᵀ·X (split along rows)
    public void ThreadCountDoesNotChangeResults(int m, int n, int k)
    {
        AssertSameForOneAndTwoThreads<float>(m, n, k);
        AssertSameForOneAndTwoThreads<double>(m, n, k);
    }

    /// <summary>
    /// A B packed ahead (<see cref="Gemm.PackRight{T}"/>) and read in place gives exactly the blocked driver's bits: both
    /// storage orders of A and B, several depth blocks and a ragged last micro-panel, with and without accumulating, on
    /// one and two threads.
    /// </summary>
    [Theory]
    [InlineData(32, 1024, 256)]
    [InlineData(45, 37, 0)]
    [InlineData(19, 37, 1)]
    public void PackedRightOperandGivesTheBlockedDriversBits(int m, int n, int extraDepth)
    {
        AssertPackedMatchesBlocked<float>(m, n, Widest<float>(b => b.Kc) + 5 + extraDepth);
        AssertPackedMatchesBlocked<double>(m, n, Widest<double>(b => b.Kc) + 5 + extraDepth);
    }

    private static void AssertPackedMatchesBlocked<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m + n + k);
        T[] a = RandomArray<T>(random, m * k), b = RandomArray<T>(random, k * n), initial = RandomArray<T>(random, m * n);
        var packed = new T[Gemm.PackedRightLength<T>(k, n)];
        int saved = Parallelism.MaxThreads;
        try
        {
            foreach (var (transposeA, transposeB, accumulate, threads) in
                from ta in new[] { false, true } from tb in new[] { false, true } from acc in new[] { false, true } from th in new[] { 1, 2 } select (ta, tb, acc, th))
            {
                Parallelism.MaxThreads = threads;
                T[] blocked = (T[])initial.Clone(), fromPacked = (T[])initial.Clone();
                Gemm.Multiply<T>(a, transposeA, b, transposeB, blocked, m, n, k, accumulate);
                Gemm.PackRight<T>(b, transposeB, k, n, packed);
                Gemm.MultiplyPacked<T>(a, transposeA, packed, fromPacked, m, n, k, accumulate);
                int mismatch = FirstDifference(blocked, fromPacked);
                Assert.True(mismatch < 0, $"{typeof(T).Name} {m}×{n}×{k}, transposeA={transposeA}, transposeB={transposeB}, accumulate={accumulate}, " +
                    $"{threads} thread(s): packed B differs at C[{mismatch / n},{mismatch % n}].");
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    /// <summary>
    /// The first n′ columns of a B packed whole for n columns, read in place (<c>packedColumns</c>), give exactly the
    /// blocked driver's bits for those columns alone: a prefix ending inside a micro-panel and one on a panel's edge,
    /// over one and several depth blocks.
    /// </summary>
    [Theory]
    [InlineData(13, 37, 21, 0)]
    [InlineData(32, 128, 64, 1)]
    [InlineData(7, 50, 49, 0)]
    public void PrefixOfAPackedRightOperandGivesTheBlockedDriversBits(int m, int n, int prefix, int depthBlocks)
    {
        AssertPackedPrefixMatchesBlocked<float>(m, n, depthBlocks == 0 ? 32 : Widest<float>(b => b.Kc) + 7, prefix, ofDepth: false);
        AssertPackedPrefixMatchesBlocked<double>(m, n, depthBlocks == 0 ? 32 : Widest<double>(b => b.Kc) + 7, prefix, ofDepth: false);
    }

    /// <summary>
    /// The first k′ rows of a B packed whole for depth k in one depth block, read in place (<c>packedDepth</c>), give
    /// exactly the blocked driver's bits for that depth alone: prefixes ending inside and on the edge of the columns'
    /// micro-panels, down to a depth of 1; a depth that takes several blocks is refused.
    /// </summary>
    [Theory]
    [InlineData(13, 37, 100, 61)]
    [InlineData(24, 32, 128, 24)]
    [InlineData(7, 16, 50, 1)]
    public void DepthPrefixOfAPackedRightOperandGivesTheBlockedDriversBits(int m, int n, int k, int prefix)
    {
        AssertPackedPrefixMatchesBlocked<float>(m, n, k, prefix, ofDepth: true);
        AssertPackedPrefixMatchesBlocked<double>(m, n, k, prefix, ofDepth: true);
        int deep = Widest<float>(b => b.Kc) + 7;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.MultiplyPacked<float>(new float[m * deep], false, new float[Gemm.PackedRightLength<float>(deep, n)], new float[m * n], m, n, 3, packedDepth: deep));
        Assert.Contains($"packed for depth {deep}", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A product over a prefix of a k×n B packed whole, of its depth or of its columns, read in place, against the same
    /// prefix given to the blocked driver. B is stored so that the prefix is a prefix of its storage: k×n for a prefix of
    /// the depth (its first rows), n×k (transposed) for one of the columns.
    /// </summary>
    private static void AssertPackedPrefixMatchesBlocked<T>(int m, int n, int k, int prefix, bool ofDepth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m + n + prefix + k);
        var (columns, depth) = ofDepth ? (n, prefix) : (prefix, k);
        T[] a = RandomArray<T>(random, m * depth), b = RandomArray<T>(random, n * k);
        var packed = new T[Gemm.PackedRightLength<T>(k, n)];
        Gemm.PackRight<T>(b, !ofDepth, k, n, packed);
        T[] blocked = new T[m * columns], fromPacked = new T[m * columns];
        Gemm.Multiply<T>(a, false, b.AsSpan(0, columns * depth), !ofDepth, blocked, m, columns, depth);
        Gemm.MultiplyPacked<T>(a, false, packed, fromPacked, m, columns, depth, packedColumns: ofDepth ? 0 : n, packedDepth: ofDepth ? k : 0);
        int mismatch = FirstDifference(blocked, fromPacked);
        Assert.True(mismatch < 0, $"{typeof(T).Name} {m}×{columns} over depth {depth} of a {k}×{n} B packed whole: the packed prefix differs at C[{mismatch / columns},{mismatch % columns}].");
    }

    [Fact]
    public void ZeroDepthClearsOrKeepsC()
    {
        double[] c = [1, 2, 3, 4, 5, 6];
        Gemm.Multiply<double>([], false, [], false, c, 2, 3, 0, accumulate: true);
        Assert.Equal([1, 2, 3, 4, 5, 6], c);
        Gemm.Multiply<double>([], false, [], false, c, 2, 3, 0);
        Assert.Equal(new double[6], c);
    }

    [Fact]
    public void EmptyOutputIsANoOp()
    {
        Gemm.Multiply<float>([], false, new float[12], false, [], 0, 3, 4);
        Gemm.Multiply<float>(new float[8], true, [], true, [], 2, 0, 4);
    }

    [Theory]
    [InlineData(-1, 2, 3, "m")]
    [InlineData(1, -2, 3, "n")]
    [InlineData(1, 2, -3, "k")]
    public void NegativeDimensionIsRejected(int m, int n, int k, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(
            () => Gemm.Multiply<float>(new float[64], false, new float[64], false, new float[64], m, n, k));
        Assert.Equal(name, e.ParamName);
        Assert.Contains("Gemm.Multiply", e.Message, StringComparison.Ordinal);
        Assert.Contains(name + " must be non-negative", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortSpansAreRejectedWithExpectedSizes()
    {
        var a = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply<double>(new double[5], true, new double[12], false, new double[6], 2, 3, 4));
        Assert.Equal("a", a.ParamName);
        Assert.Contains(
            "Gemm.Multiply: a has 5 elements but op(A) is 2×4 (stored transposed as 4×2) and needs 8",
            a.Message,
            StringComparison.Ordinal);

        var b = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply<double>(new double[8], false, new double[11], false, new double[6], 2, 3, 4));
        Assert.Equal("b", b.ParamName);
        Assert.Contains(
            "Gemm.Multiply: b has 11 elements but B is 4×3 (stored 4×3) and needs 12",
            b.Message,
            StringComparison.Ordinal);

        var c = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply<double>(new double[8], false, new double[12], true, new double[5], 2, 3, 4));
        Assert.Equal("c", c.ParamName);
        Assert.Contains(
            "Gemm.Multiply: c has 5 elements but C is 2×3 (stored 2×3) and needs 6",
            c.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void OverlappingOutputIsRejected()
    {
        double[] shared = new double[16];
        var e = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply<double>(shared, false, new double[4], false, shared.AsSpan(2), 2, 2, 2));
        Assert.Equal("c", e.ParamName);
        Assert.Contains("Gemm.Multiply: c must not overlap a or b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxThreadsBelowOneIsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
        Assert.Contains("Parallelism.MaxThreads must be at least 1", e.Message, StringComparison.Ordinal);
        Assert.True(Parallelism.MaxThreads >= 1);
    }

    private static void CheckAllFlags<T>(int m, int n, int k, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random((m * 7919) + (n * 104729) + k);
        T[] a = RandomArray<T>(random, (m * k) + Guard);
        T[] b = RandomArray<T>(random, (k * n) + Guard);
        T[] initial = RandomArray<T>(random, (m * n) + Guard);
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    T[] c = (T[])initial.Clone();
                    Gemm.Multiply<T>(a, transposeA, b, transposeB, c, m, n, k, accumulate);
                    string flags = $"m={m}, n={n}, k={k}, transposeA={transposeA}, transposeB={transposeB}, "
                        + $"accumulate={accumulate}, T={typeof(T).Name}";
                    AssertClose(a, transposeA, b, transposeB, initial, accumulate, c, m, n, k, tolerance, flags);
                    bool tailKept = c.AsSpan(m * n).SequenceEqual(initial.AsSpan(m * n));
                    Assert.True(tailKept, $"elements past C were written ({flags})");
                }
            }
        }
    }

    /// <summary>Asserts <paramref name="got"/> is op(A)·op(B) (+ the initial C) within the class's bound, against a naive product in double.</summary>
    internal static void AssertClose<T>(
        T[] a,
        bool transposeA,
        T[] b,
        bool transposeB,
        T[] initial,
        bool accumulate,
        T[] got,
        int m,
        int n,
        int k,
        double tolerance,
        string flags)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double worstRatio = 0;
        string worst = "none";
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = double.CreateChecked(transposeA ? a[(p * m) + i] : a[(i * k) + p]);
                    double y = double.CreateChecked(transposeB ? b[(j * k) + p] : b[(p * n) + j]);
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                }

                if (accumulate)
                {
                    double c0 = double.CreateChecked(initial[(i * n) + j]);
                    sum += c0;
                    magnitude += Math.Abs(c0);
                }

                double actual = double.CreateChecked(got[(i * n) + j]);
                double bound = (tolerance * Math.Max(k, 1) * magnitude) + 1e-300;
                double ratio = Math.Abs(actual - sum) / bound;
                if (!(ratio <= worstRatio))
                {
                    worstRatio = double.IsNaN(ratio) ? double.PositiveInfinity : ratio;
                    worst = string.Create(
                        CultureInfo.InvariantCulture,
                        $"C[{i},{j}] = {actual:R}, expected {sum:R} "
                        + $"(error {Math.Abs(actual - sum):E3}, allowed {bound:E3})");
                }
            }
        }

        Assert.True(worstRatio <= 1, $"Gemm mismatch for {flags}: worst element {worst}");
    }

    private static void AssertSameForOneAndTwoThreads<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m + n + k);
        T[] a = RandomArray<T>(random, m * k);
        T[] b = RandomArray<T>(random, k * n);
        T[] initial = RandomArray<T>(random, m * n);
        int saved = Parallelism.MaxThreads;
        try
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    T[] one = (T[])initial.Clone();
                    T[] two = (T[])initial.Clone();
                    Parallelism.MaxThreads = 1;
                    Gemm.Multiply<T>(a, transposeA, b, transposeB, one, m, n, k, accumulate: true);
                    Parallelism.MaxThreads = 2;
                    Gemm.Multiply<T>(a, transposeA, b, transposeB, two, m, n, k, accumulate: true);
                    int mismatch = FirstDifference(one, two);
                    Assert.True(
                        mismatch < 0,
                        $"MaxThreads=1 and MaxThreads=2 differ for m={m}, n={n}, k={k}, transposeA={transposeA}, "
                        + $"transposeB={transposeB}, T={typeof(T).Name} at C[{mismatch / n},{mismatch % n}]");
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private static int FirstDifference<T>(T[] x, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!x[i].Equals(y[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Values uniform in [−1, 1).</summary>
    internal static T[] RandomArray<T>(Random random, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
