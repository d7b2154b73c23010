using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Fma = System.Runtime.Intrinsics.X86.Fma;

namespace TinyAutograd.Kernels;

/// <summary>
/// AVX2/FMA micro-kernel for float and double: a 6 × (2 · Vector256&lt;T&gt;.Count) tile (6×16 floats or
/// 6×8 doubles) held in 12 ymm accumulators; each depth step loads two vectors of B and broadcasts 6 elements of A.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct GemmMicroKernel256<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    public static int Mr => 6;

    public static int Nr => 2 * Vector256<T>.Count;


    public static bool ReadsUnpackedA => true;

    public static bool RunsShortTiles => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, T* a, T* b, T* c, nint ldc, bool addToC, T* row) => Rows<SixRows, PackedTileA<T, SixRows>>(kc, a, 0, b, c, ldc, addToC, row, 6);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunRowMajor(int kc, T* a, nint lda, T* b, T* c, nint ldc, bool addToC, T* row) =>
        Rows<SixRows, RowMajorTileA<T, SixRows>>(kc, a, lda, b, c, ldc, addToC, row, 6);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunColumnMajor(int kc, T* a, nint lda, T* b, T* c, nint ldc, bool addToC, T* row) =>
        Rows<SixRows, ColumnMajorTileA<T>>(kc, a, lda, b, c, ldc, addToC, row, 6);

    /// <remarks>Two or four rows run a loop with only their accumulators, five the full one: an LSTM's 32-row products
    /// spent a sixth of their time on the 6-row tile of their last two rows.</remarks>
    public static unsafe void RunRows(int rows, int kc, T* a, T* b, T* c, nint ldc, bool addToC, T* row)
    {
        if (rows <= 2)
        {
            Rows<TwoRows, PackedTileA<T, SixRows>>(kc, a, 0, b, c, ldc, addToC, row, rows);
        }
        else if (rows <= 4)
        {
            Rows<FourRows, PackedTileA<T, SixRows>>(kc, a, 0, b, c, ldc, addToC, row, rows);
        }
        else
        {
            Rows<SixRows, PackedTileA<T, SixRows>>(kc, a, 0, b, c, ldc, addToC, row, rows);
        }
    }

    /// <summary>
    /// The first <paramref name="stored"/> rows of the tile, computing <typeparamref name="TRows"/>' rows of A (a packed
    /// micro-panel or rows in place, <typeparamref name="TA"/>); each element is formed exactly as in the 6-row tile.
    /// </summary>
    /// <remarks>
    /// Never inlined: the tile takes 15 of the 16 ymm registers, and a caller that inlined it and then called out (every
    /// ymm register is the caller's to save on Unix) had the JIT keep two accumulators on the stack, stored and reloaded
    /// at every depth step: a kernel call inlined so ran 41 GFLOPS against 102 on its own (Zen 3, one thread).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Rows<TRows, TA>(int kc, T* aStart, nint lda, T* b, T* c, nint ldc, bool addToC, T* row, int stored)
        where TRows : struct, ITileRows
        where TA : struct, ITileA<TA, T>
    {
        TA a = TA.At(aStart, lda);
        int w = Vector256<T>.Count;
        Vector256<T> c0a = default, c0b = default, c1a = default, c1b = default;
        Vector256<T> c2a = default, c2b = default, c3a = default, c3b = default;
        Vector256<T> c4a = default, c4b = default, c5a = default, c5b = default;
        // The tile of C is read (or written) only after the depth loop: the loop runs in two passes, and its lines are
        // fetched before the second, the last CLeadSteps steps (all of them when the loop is no longer), so that the
        // stores do not wait on them.
        int p = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            if (pass == 1)
            {
                for (int r = 0; r < stored; r++)
                {
                    Sse.Prefetch0(c + (r * ldc));
                    Sse.Prefetch0(c + (r * ldc) + (2 * w) - 1);
                }
            }
            int end = pass == 0 ? Math.Max(0, kc - CLeadSteps) : kc;
            for (; p < end; p++)
            {
                Vector256<T> b0 = Vector256.Load(b);
                Vector256<T> b1 = Vector256.Load(b + w);
                Vector256<T> s = Vector256.Create(a.Element(0));
                c0a = Fma(s, b0, c0a);
                c0b = Fma(s, b1, c0b);
                s = Vector256.Create(a.Element(1));
                c1a = Fma(s, b0, c1a);
                c1b = Fma(s, b1, c1b);
                if (TRows.Count > 2)
                {
                    s = Vector256.Create(a.Element(2));
                    c2a = Fma(s, b0, c2a);
                    c2b = Fma(s, b1, c2b);
                    s = Vector256.Create(a.Element(3));
                    c3a = Fma(s, b0, c3a);
                    c3b = Fma(s, b1, c3b);
                }
                if (TRows.Count > 4)
                {
                    s = Vector256.Create(a.Element(4));
                    c4a = Fma(s, b0, c4a);
                    c4b = Fma(s, b1, c4b);
                    s = Vector256.Create(a.Element(5));
                    c5a = Fma(s, b0, c5a);
                    c5b = Fma(s, b1, c5b);
                }
                a.Advance();
                b += 2 * w;
            }
        }

        StoreRow(c, c0a, c0b, addToC, row);
        if (stored > 1)
        {
            StoreRow(c + ldc, c1a, c1b, addToC, row);
        }
        if (stored > 2)
        {
            StoreRow(c + (2 * ldc), c2a, c2b, addToC, row);
        }
        if (stored > 3)
        {
            StoreRow(c + (3 * ldc), c3a, c3b, addToC, row);
        }
        if (stored > 4)
        {
            StoreRow(c + (4 * ldc), c4a, c4b, addToC, row);
        }
        if (stored > 5)
        {
            StoreRow(c + (5 * ldc), c5a, c5b, addToC, row);
        }
    }

    /// <summary>
    /// Depth steps before the end of a tile's loop at which its lines of C are fetched, about 300 cycles at six cycles a
    /// step, a fetch from the last cache level or beyond. Fetched at the loop's start instead, they could be evicted by the
    /// B panel streaming through L1 before the stores; fetched this late, paired runs on a Zen 3 (one thread) took
    /// 1024³ and 2048³ 0.9–1% less time, 2048×512×128 with B transposed 3.5%, the MLP step 1.7% and the transformer step
    /// 1.5% (a lead of 16–64 steps did as well at 1024³; 128 ran 1% slower than fetching at the start).
    /// </summary>
    private const int CLeadSteps = 48;

    /// <summary>x·y + acc lane by lane, rounded once (VFMADD231PS or VFMADD231PD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (typeof(T) == typeof(float))
        {
            return X86Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        }

        return X86Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(T* c, Vector256<T> lo, Vector256<T> hi, bool addToC, T* row)
    {
        T* c1 = c + Vector256<T>.Count;
        if (addToC)
        {
            lo += Vector256.Load(c);
            hi += Vector256.Load(c1);
        }
        else if (row != null)
        {
            lo += Vector256.Load(row);
            hi += Vector256.Load(row + Vector256<T>.Count);
        }

        lo.Store(c);
        hi.Store(c1);
    }
}
