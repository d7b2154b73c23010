using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="Gemm.MultiplyAddingRow{T}"/>, C = op(A)·op(B) + 1·biasᵀ, against the naive product in double with
/// the bias rows as the prior C (the bound of <see cref="GemmTests"/>), on every path: the direct loop, the
/// matrix-vector products, zero depth, and the blocked driver over several column and depth blocks; and that the bits do
/// not depend on the thread count.
/// </summary>
[Collection("Gemm thread count")]
public sealed class GemmBiasTests
{
    /// <summary>Guard elements after C; they must never be written.</summary>
    private const int Guard = 5;

    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 2, 3, 4 },      // direct loop
        { 1, 257, 33 },   // a row vector times a matrix
        { 257, 1, 65 },   // a matrix times a column vector
        { 5, 7, 0 },      // zero depth: C is the bias rows
        { 127, 65, 33 },  // blocked, ragged tiles
        { 7, 200, 300 },  // wider than one B block of a 512-KiB L2, deeper than one depth block of a 32-KiB L1
        { 64, 1041, 1031 }, // wider and deeper than the blocks of any cache this runs on
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AddsTheBiasToEveryRow(int m, int n, int k)
    {
        Check<float>(m, n, k, 1e-5);
        Check<double>(m, n, k, 1e-12);
    }

    [Theory]
    [InlineData(300, 300, 300)]
    [InlineData(128, 256, 784)] // an MLP's first layer, split along columns
    [InlineData(2048, 384, 128)] // a transformer's projections, split along rows
    public void ThreadCountDoesNotChangeResults(int m, int n, int k)
    {
        SameForOneAndTwoThreads<float>(m, n, k);
        SameForOneAndTwoThreads<double>(m, n, k);
    }

    [Fact]
    public void ShortBiasIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.MultiplyAddingRow<float>(new float[6], false, new float[12], false, new float[3], new float[8], 2, 4, 3));
        Assert.Equal("bias", error.ParamName);
        Assert.Contains("bias has 3 elements but C has 4 columns", error.Message, StringComparison.Ordinal);
    }

    private static void Check<T>(int m, int n, int k, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random((m * 31) + (n * 17) + k);
        T[] a = GemmTests.RandomArray<T>(random, m * k);
        T[] b = GemmTests.RandomArray<T>(random, k * n);
        T[] bias = GemmTests.RandomArray<T>(random, n);
        T[] rows = new T[(m * n) + Guard];
        for (int i = 0; i < m * n; i++)
        {
            rows[i] = bias[i % n];
        }
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                T[] c = GemmTests.RandomArray<T>(random, (m * n) + Guard);
                T[] tail = c[(m * n)..];
                Gemm.MultiplyAddingRow<T>(a, transposeA, b, transposeB, bias, c, m, n, k);
                string flags = $"m={m}, n={n}, k={k}, transposeA={transposeA}, transposeB={transposeB}, T={typeof(T).Name}, with a bias row";
                GemmTests.AssertClose(a, transposeA, b, transposeB, rows, accumulate: true, c, m, n, k, tolerance, flags);
                Assert.True(c.AsSpan(m * n).SequenceEqual(tail), $"elements past C were written ({flags})");
            }
        }
    }

    private static void SameForOneAndTwoThreads<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m + n + k);
        T[] a = GemmTests.RandomArray<T>(random, m * k);
        T[] b = GemmTests.RandomArray<T>(random, k * n);
        T[] bias = GemmTests.RandomArray<T>(random, n);
        int saved = Parallelism.MaxThreads;
        try
        {
            T[] one = new T[m * n], two = new T[m * n];
            Parallelism.MaxThreads = 1;
            Gemm.MultiplyAddingRow<T>(a, false, b, true, bias, one, m, n, k);
            Parallelism.MaxThreads = 2;
            Gemm.MultiplyAddingRow<T>(a, false, b, true, bias, two, m, n, k);
            int mismatch = one.AsSpan().CommonPrefixLength(two);
            Assert.True(mismatch == one.Length, $"MaxThreads=1 and MaxThreads=2 differ for m={m}, n={n}, k={k}, T={typeof(T).Name} at C[{mismatch / n},{mismatch % n}]");
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
