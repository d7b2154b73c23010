using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>
/// AVX-512 micro-kernel for float and double: a 12 × (2 · Vector512&lt;T&gt;.Count) tile (12×32 floats or
/// 12×16 doubles) held in 24 zmm accumulators; each depth step loads two vectors of B and broadcasts 12
/// elements of A.
/// </summary>
/// <remarks>
/// The loop of <see cref="GemmMicroKernel256{T}"/> at twice the width and rows, written out for each width: one loop
/// generic over the register type (<see cref="Simd.ISimd{TSelf, T}"/>) compiled every second multiply-add as a
/// vfmadd213 and a register move, and zeroed all 24 accumulators for the 6-row tile.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct GemmMicroKernel512<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    public static int Mr => 12;

    public static int Nr => 2 * Vector512<T>.Count;

    public static bool ReadsUnpackedA => true;

    public static bool RunsShortTiles => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, T* a, T* b, T* c, nint ldc, bool addToC, T* row) => Rows<TwelveRows, PackedTileA<T, TwelveRows>>(kc, a, 0, b, c, ldc, addToC, row, 12);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunRowMajor(int kc, T* a, nint lda, T* b, T* c, nint ldc, bool addToC, T* row) =>
        Rows<TwelveRows, RowMajorTileA<T, TwelveRows>>(kc, a, lda, b, c, ldc, addToC, row, 12);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunColumnMajor(int kc, T* a, nint lda, T* b, T* c, nint ldc, bool addToC, T* row) =>
        Rows<TwelveRows, ColumnMajorTileA<T>>(kc, a, lda, b, c, ldc, addToC, row, 12);

    /// <remarks>Up to four or eight rows run a loop with only their accumulators, more the full one: without it an
    /// LSTM's 32-row products ran a third 12-row tile, into scratch, for their last eight rows.</remarks>
    public static unsafe void RunRows(int rows, int kc, T* a, T* b, T* c, nint ldc, bool addToC, T* row)
    {
        if (rows <= 4)
        {
            Rows<FourRows, PackedTileA<T, TwelveRows>>(kc, a, 0, b, c, ldc, addToC, row, rows);
        }
        else if (rows <= 8)
        {
            Rows<EightRows, PackedTileA<T, TwelveRows>>(kc, a, 0, b, c, ldc, addToC, row, rows);
        }
        else
        {
            Rows<TwelveRows, PackedTileA<T, TwelveRows>>(kc, a, 0, b, c, ldc, addToC, row, rows);
        }
    }

    /// <summary>
    /// The first <paramref name="stored"/> rows of the tile, computing <typeparamref name="TRows"/>' rows of A (a packed
    /// micro-panel or rows in place, <typeparamref name="TA"/>); each element is formed exactly as in the 12-row tile.
    /// </summary>
    /// <remarks>Never inlined, so that its accumulators keep their registers whatever the caller (as the AVX2 kernel's
    /// <c>Rows</c>).</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Rows<TRows, TA>(int kc, T* aStart, nint lda, T* b, T* c, nint ldc, bool addToC, T* row, int stored)
        where TRows : struct, ITileRows
        where TA : struct, ITileA<TA, T>
    {
        TA a = TA.At(aStart, lda);
        int w = Vector512<T>.Count;
        // The tile of C is read (or written) only after the depth loop; its lines (two per row, three fetches in case
        // the row is not line-aligned) are fetched now, so that the stores do not wait on them.
        for (int r = 0; r < stored; r++)
        {
            byte* line = (byte*)(c + (r * ldc));
            Sse.Prefetch0(line);
            Sse.Prefetch0(line + 64);
            Sse.Prefetch0(line + 127);
        }
        Vector512<T> c0a = default, c0b = default, c1a = default, c1b = default;
        Vector512<T> c2a = default, c2b = default, c3a = default, c3b = default;
        Vector512<T> c4a = default, c4b = default, c5a = default, c5b = default;
        Vector512<T> c6a = default, c6b = default, c7a = default, c7b = default;
        Vector512<T> c8a = default, c8b = default, c9a = default, c9b = default;
        Vector512<T> c10a = default, c10b = default, c11a = default, c11b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b);
            Vector512<T> b1 = Vector512.Load(b + w);
            Vector512<T> s = Vector512.Create(a.Element(0));
            c0a = Fma(s, b0, c0a);
            c0b = Fma(s, b1, c0b);
            s = Vector512.Create(a.Element(1));
            c1a = Fma(s, b0, c1a);
            c1b = Fma(s, b1, c1b);
            s = Vector512.Create(a.Element(2));
            c2a = Fma(s, b0, c2a);
            c2b = Fma(s, b1, c2b);
            s = Vector512.Create(a.Element(3));
            c3a = Fma(s, b0, c3a);
            c3b = Fma(s, b1, c3b);
            if (TRows.Count > 4)
            {
                s = Vector512.Create(a.Element(4));
                c4a = Fma(s, b0, c4a);
                c4b = Fma(s, b1, c4b);
                s = Vector512.Create(a.Element(5));
                c5a = Fma(s, b0, c5a);
                c5b = Fma(s, b1, c5b);
                s = Vector512.Create(a.Element(6));
                c6a = Fma(s, b0, c6a);
                c6b = Fma(s, b1, c6b);
                s = Vector512.Create(a.Element(7));
                c7a = Fma(s, b0, c7a);
                c7b = Fma(s, b1, c7b);
            }
            if (TRows.Count > 8)
            {
                s = Vector512.Create(a.Element(8));
                c8a = Fma(s, b0, c8a);
                c8b = Fma(s, b1, c8b);
                s = Vector512.Create(a.Element(9));
                c9a = Fma(s, b0, c9a);
                c9b = Fma(s, b1, c9b);
                s = Vector512.Create(a.Element(10));
                c10a = Fma(s, b0, c10a);
                c10b = Fma(s, b1, c10b);
                s = Vector512.Create(a.Element(11));
                c11a = Fma(s, b0, c11a);
                c11b = Fma(s, b1, c11b);
            }
            a.Advance();
            b += 2 * w;
        }

        StoreRows(c, ldc, addToC, row, stored, c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b);
        if (stored > 4)
        {
            StoreRows(c + (4 * ldc), ldc, addToC, row, stored - 4, c4a, c4b, c5a, c5b, c6a, c6b, c7a, c7b);
        }
        if (stored > 8)
        {
            StoreRows(c + (8 * ldc), ldc, addToC, row, stored - 8, c8a, c8b, c9a, c9b, c10a, c10b, c11a, c11b);
        }
    }

    /// <summary>Stores (or adds) the first <paramref name="count"/> of four rows of the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRows(T* c, nint ldc, bool addToC, T* row, int count,
        Vector512<T> r0a, Vector512<T> r0b, Vector512<T> r1a, Vector512<T> r1b, Vector512<T> r2a, Vector512<T> r2b, Vector512<T> r3a, Vector512<T> r3b)
    {
        StoreRow(c, r0a, r0b, addToC, row);
        if (count > 1)
        {
            StoreRow(c + ldc, r1a, r1b, addToC, row);
        }
        if (count > 2)
        {
            StoreRow(c + (2 * ldc), r2a, r2b, addToC, row);
        }
        if (count > 3)
        {
            StoreRow(c + (3 * ldc), r3a, r3b, addToC, row);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float))
        {
            return Avx512F.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        }

        return Avx512F.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(T* c, Vector512<T> lo, Vector512<T> hi, bool addToC, T* row)
    {
        T* c1 = c + Vector512<T>.Count;
        if (addToC)
        {
            lo += Vector512.Load(c);
            hi += Vector512.Load(c1);
        }
        else if (row != null)
        {
            lo += Vector512.Load(row);
            hi += Vector512.Load(row + Vector512<T>.Count);
        }

        lo.Store(c);
        hi.Store(c1);
    }
}
