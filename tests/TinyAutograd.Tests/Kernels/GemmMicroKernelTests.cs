using System.Numerics;
using System.Runtime.Intrinsics.X86;
using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// The SIMD micro-kernels this machine runs, whichever the products choose: a tile from a packed A panel, from A read in
/// place (row-major or stored transposed) and from a short panel (fewer rows) gives the same bits, and matches a naive
/// product accumulated in double; so do whole products through the blocked driver with each kernel, A plain or transposed.
/// </summary>
public sealed class GemmMicroKernelTests
{
    /// <summary>
    /// Products with short tiles (m mod 12 and m mod 6 not 0), A read in place (n ≤ 512; transposed, m·4 bytes below
    /// 4 KiB) and packed (wider, or transposed with m = 1024), and several depth blocks.
    /// </summary>
    [Theory]
    [InlineData(32, 1024, 256, false)]
    [InlineData(64, 112, 32, false)]
    [InlineData(45, 600, 700, false)]
    [InlineData(45, 112, 700, true)]
    [InlineData(1024, 48, 40, true)]
    [InlineData(64, 600, 32, true)]
    public void TheBlockedDriverMatchesTheNaiveProductWithEachKernel(int m, int n, int k, bool transposeA)
    {
        Assert.True(Fma.IsSupported, "the SIMD kernels need FMA; this machine runs only the scalar one.");
        Product<GemmMicroKernel256<float>>(m, n, k, transposeA);
        if (Avx512F.IsSupported)
        {
            Product<GemmMicroKernel512<float>>(m, n, k, transposeA);
        }
    }

    private static unsafe void Product<TKernel>(int m, int n, int k, bool transposeA)
        where TKernel : IGemmMicroKernel<float>
    {
        var random = new Random(m + n + k);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var c = new float[m * n];
        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmParallel.Run<float, TKernel>(new GemmProblem<float>(pa, transposeA, pb, false, pc, m, n, k, accumulate: false), maxThreads: 1);
        }
        // GemmTests' bound, tolerance·k·Σ|terms|, at 10⁻⁶ of Σ|terms|.
        GemmTests.AssertClose(a, transposeA, b, false, c, accumulate: false, c, m, n, k, 1e-6 / k, $"{typeof(TKernel).Name}, {m}×{n}×{k}, transposeA {transposeA}");
    }

    [Fact]
    public void EveryWayOfReadingATileGivesTheSameBits()
    {
        Assert.True(Fma.IsSupported, "the SIMD kernels need FMA; this machine runs only the scalar one.");
        Check<float, GemmMicroKernel256<float>>(1e-5);
        Check<double, GemmMicroKernel256<double>>(1e-13);
        if (Avx512F.IsSupported)
        {
            Check<float, GemmMicroKernel512<float>>(1e-5);
            Check<double, GemmMicroKernel512<double>>(1e-13);
        }
    }

    private static unsafe void Check<T, TKernel>(double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        int mr = TKernel.Mr, nr = TKernel.Nr, kc = 37, lda = kc + 3, ldc = nr + 5;
        var random = new Random(11);
        T Next() => T.CreateTruncating((random.NextDouble() * 2) - 1);
        var rowMajor = Enumerable.Range(0, mr * lda).Select(_ => Next()).ToArray();
        int ldt = mr + 3;
        var packed = new T[mr * kc];
        var columnMajor = new T[kc * ldt];
        for (int i = 0; i < mr; i++)
        {
            for (int p = 0; p < kc; p++)
            {
                packed[(p * mr) + i] = rowMajor[(i * lda) + p];
                columnMajor[(p * ldt) + i] = rowMajor[(i * lda) + p];
            }
        }
        var b = Enumerable.Range(0, kc * nr).Select(_ => Next()).ToArray();
        var start = Enumerable.Range(0, mr * ldc).Select(_ => Next()).ToArray();
        var bias = Enumerable.Range(0, nr).Select(_ => Next()).ToArray();
        // Adding a row must give the bits of writing it into every row of C first and adding to C.
        var biasRows = (T[])start.Clone();
        for (int i = 0; i < mr; i++)
        {
            bias.CopyTo(biasRows, i * ldc);
        }
        T[]? addedToBiasRows = null;
        foreach (var (addToC, addRow, initial) in new[] { (true, false, start), (true, false, biasRows), (false, false, start), (false, true, start) })
        {
            var full = (T[])initial.Clone();
            var inPlace = (T[])initial.Clone();
            var transposedInPlace = (T[])initial.Clone();
            fixed (T* a = packed, ar = rowMajor, at = columnMajor, pb = b, c = full, cr = inPlace, ct = transposedInPlace, row = bias)
            {
                T* added = addRow ? row : null;
                TKernel.Run(kc, a, pb, c, ldc, addToC, added);
                TKernel.RunRowMajor(kc, ar, lda, pb, cr, ldc, addToC, added);
                TKernel.RunColumnMajor(kc, at, ldt, pb, ct, ldc, addToC, added);
            }
            string mode = addToC ? (initial == biasRows ? "adding to C that holds the row" : "adding to C") : addRow ? "adding a row" : "storing";
            Assert.True(full.SequenceEqual(inPlace), $"{typeof(TKernel).Name}: A read in place differs from A packed ({mode}).");
            Assert.True(full.SequenceEqual(transposedInPlace), $"{typeof(TKernel).Name}: A read in place from its transpose differs from A packed ({mode}).");
            if (addToC && initial == biasRows)
            {
                addedToBiasRows = full;
            }
            else if (addRow)
            {
                Assert.True(full.SequenceEqual(addedToBiasRows!), $"{typeof(TKernel).Name}: adding a row differs from adding to C that holds the row.");
            }
            for (int i = 0; i < mr; i++)
            {
                for (int j = 0; j < nr; j++)
                {
                    double expected = addToC ? double.CreateTruncating(initial[(i * ldc) + j]) : addRow ? double.CreateTruncating(bias[j]) : 0, magnitude = Math.Abs(expected);
                    for (int p = 0; p < kc; p++)
                    {
                        double term = double.CreateTruncating(rowMajor[(i * lda) + p]) * double.CreateTruncating(b[(p * nr) + j]);
                        expected += term;
                        magnitude += Math.Abs(term);
                    }
                    Assert.True(Math.Abs(double.CreateTruncating(full[(i * ldc) + j]) - expected) <= tolerance * magnitude,
                        $"{typeof(TKernel).Name}: element ({i}, {j}) is {full[(i * ldc) + j]}, the naive product {expected}.");
                }
            }
            for (int rows = 1; rows < mr; rows++)
            {
                var shortTile = (T[])initial.Clone();
                fixed (T* a = packed, pb = b, c = shortTile, row = bias)
                {
                    TKernel.RunRows(rows, kc, a, pb, c, ldc, addToC, addRow ? row : null);
                }
                Assert.True(shortTile.AsSpan(0, rows * ldc).SequenceEqual(full.AsSpan(0, rows * ldc)), $"{typeof(TKernel).Name}: a {rows}-row tile differs from the full tile's rows ({mode}).");
                Assert.True(shortTile.AsSpan(rows * ldc).SequenceEqual(initial.AsSpan(rows * ldc)), $"{typeof(TKernel).Name}: a {rows}-row tile wrote past its rows ({mode}).");
            }
        }
    }
}
