using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>
/// AVX-512 micro-kernel for float and double: a 12 × (2 · Vector512&lt;T&gt;.Count) tile (12×32 floats or
/// 12×16 doubles) held in 24 zmm accumulators; each depth step loads two vectors of B and broadcasts 12
/// elements of A.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct GemmMicroKernel512<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    public static int Mr => 12;

    public static int Nr => 2 * Vector512<T>.Count;


    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, T* a, T* b, T* c, nint ldc, bool addToC)
    {
        int w = Vector512<T>.Count;
        PrefetchTile(c, ldc);
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
            Vector512<T> s = Vector512.Create(a[0]);
            c0a = Fma(s, b0, c0a);
            c0b = Fma(s, b1, c0b);
            s = Vector512.Create(a[1]);
            c1a = Fma(s, b0, c1a);
            c1b = Fma(s, b1, c1b);
            s = Vector512.Create(a[2]);
            c2a = Fma(s, b0, c2a);
            c2b = Fma(s, b1, c2b);
            s = Vector512.Create(a[3]);
            c3a = Fma(s, b0, c3a);
            c3b = Fma(s, b1, c3b);
            s = Vector512.Create(a[4]);
            c4a = Fma(s, b0, c4a);
            c4b = Fma(s, b1, c4b);
            s = Vector512.Create(a[5]);
            c5a = Fma(s, b0, c5a);
            c5b = Fma(s, b1, c5b);
            s = Vector512.Create(a[6]);
            c6a = Fma(s, b0, c6a);
            c6b = Fma(s, b1, c6b);
            s = Vector512.Create(a[7]);
            c7a = Fma(s, b0, c7a);
            c7b = Fma(s, b1, c7b);
            s = Vector512.Create(a[8]);
            c8a = Fma(s, b0, c8a);
            c8b = Fma(s, b1, c8b);
            s = Vector512.Create(a[9]);
            c9a = Fma(s, b0, c9a);
            c9b = Fma(s, b1, c9b);
            s = Vector512.Create(a[10]);
            c10a = Fma(s, b0, c10a);
            c10b = Fma(s, b1, c10b);
            s = Vector512.Create(a[11]);
            c11a = Fma(s, b0, c11a);
            c11b = Fma(s, b1, c11b);
            a += 12;
            b += 2 * w;
        }

        StoreRow(c, c0a, c0b, addToC);
        StoreRow(c + ldc, c1a, c1b, addToC);
        StoreRow(c + (2 * ldc), c2a, c2b, addToC);
        StoreRow(c + (3 * ldc), c3a, c3b, addToC);
        StoreRow(c + (4 * ldc), c4a, c4b, addToC);
        StoreRow(c + (5 * ldc), c5a, c5b, addToC);
        StoreRow(c + (6 * ldc), c6a, c6b, addToC);
        StoreRow(c + (7 * ldc), c7a, c7b, addToC);
        StoreRow(c + (8 * ldc), c8a, c8b, addToC);
        StoreRow(c + (9 * ldc), c9a, c9b, addToC);
        StoreRow(c + (10 * ldc), c10a, c10b, addToC);
        StoreRow(c + (11 * ldc), c11a, c11b, addToC);
    }

    /// <summary>Starts fetching the 12 rows of the C tile (two cache lines each) for the write-back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTile(T* c, nint ldc)
    {
        for (int i = 0; i < 12; i++)
        {
            byte* row = (byte*)(c + (i * ldc));
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + 64);
            Sse.Prefetch0(row + 127);
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
    private static unsafe void StoreRow(T* c, Vector512<T> lo, Vector512<T> hi, bool addToC)
    {
        T* c1 = c + Vector512<T>.Count;
        if (addToC)
        {
            lo += Vector512.Load(c);
            hi += Vector512.Load(c1);
        }

        lo.Store(c);
        hi.Store(c1);
    }
}
