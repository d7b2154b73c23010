using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>
/// One in-register transpose for the GEMM packing: <see cref="Lines"/> source lines (a stride apart) by
/// <see cref="Depth"/> consecutive depth steps become, for each depth step, the lines' values side by side in the
/// packed panel.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
internal unsafe interface IGemmTransposeBlock<T>
    where T : unmanaged
{
    /// <summary>Source lines per block.</summary>
    static abstract int Lines { get; }

    /// <summary>Depth steps per block.</summary>
    static abstract int Depth { get; }

    /// <summary><c>d[p·panel + i] = s[i·ld + p]</c> for i &lt; <see cref="Lines"/>, p &lt; <see cref="Depth"/>.</summary>
    static abstract void Transpose(T* s, nint ld, T* d, int panel);
}

/// <summary>The transposes of <see cref="GemmPacking{T, TKernel}"/>, each a block of <see cref="IGemmTransposeBlock{T}"/>.</summary>
internal static unsafe class GemmTransposeBlocks
{
    /// <summary>
    /// Transposes the first <paramref name="lines"/> source lines (a multiple of the block's) block by block along the
    /// depth; returns the depth handled (a multiple of the block's), the rest being left to the caller. When
    /// <paramref name="fetchAhead"/> is positive, each line's cache line at a depth is fetched into L2 for the line that
    /// many lines further on (the next panel's) as the depth reaches it; after the last panel that is whatever memory
    /// follows, which a prefetch reads without faulting and without changing any value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Run<T, TBlock>(T* src, nint ld, int kc, int lines, int panel, T* dst, nint fetchAhead)
        where T : unmanaged
        where TBlock : IGemmTransposeBlock<T>
    {
        int p = 0;
        for (; lines > 0 && p + TBlock.Depth <= kc; p += TBlock.Depth)
        {
            if (fetchAhead > 0 && (p * sizeof(T)) % CacheSizes.LineBytes == 0)
            {
                for (int g = 0; g < lines; g++)
                {
                    Sse.Prefetch1(src + ((g + fetchAhead) * ld) + p);
                }
            }

            for (int g = 0; g < lines; g += TBlock.Lines)
            {
                TBlock.Transpose(src + (g * ld) + p, ld, dst + ((nint)p * panel) + g, panel);
            }
        }

        return p;
    }

    /// <summary>Stores the four 128-bit lanes of <paramref name="v"/> at d + {0, 1, 2, 3}·stride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLanes<TLane>(Vector512<TLane> v, TLane* d, int stride)
        where TLane : unmanaged
    {
        v.GetLower().GetLower().Store(d);
        v.GetLower().GetUpper().Store(d + stride);
        v.GetUpper().GetLower().Store(d + (2 * stride));
        v.GetUpper().GetUpper().Store(d + (3 * stride));
    }

    /// <summary>
    /// Four float lines by 16 depth steps (AVX-512): the four lines are transposed within each 128-bit lane, then each
    /// lane (the four lines' values at one depth step) is stored into its place.
    /// </summary>
    public readonly struct Float4x16 : IGemmTransposeBlock<float>
    {
        public static int Lines => 4;

        public static int Depth => 16;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Transpose(float* s, nint ld, float* d, int panel)
        {
            Vector512<float> r0 = Vector512.Load(s);
            Vector512<float> r1 = Vector512.Load(s + ld);
            Vector512<float> r2 = Vector512.Load(s + (2 * ld));
            Vector512<float> r3 = Vector512.Load(s + (3 * ld));
            Vector512<double> t0 = Avx512F.UnpackLow(r0, r1).AsDouble();
            Vector512<double> t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
            Vector512<double> t2 = Avx512F.UnpackLow(r2, r3).AsDouble();
            Vector512<double> t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();

            // Lane L of uX holds the four lines at depth 4L + X.
            StoreLanes(Avx512F.UnpackLow(t0, t2).AsSingle(), d, 4 * panel);
            StoreLanes(Avx512F.UnpackHigh(t0, t2).AsSingle(), d + panel, 4 * panel);
            StoreLanes(Avx512F.UnpackLow(t1, t3).AsSingle(), d + (2 * panel), 4 * panel);
            StoreLanes(Avx512F.UnpackHigh(t1, t3).AsSingle(), d + (3 * panel), 4 * panel);
        }
    }

    /// <summary>Two double lines by 8 depth steps (AVX-512).</summary>
    public readonly struct Double2x8 : IGemmTransposeBlock<double>
    {
        public static int Lines => 2;

        public static int Depth => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Transpose(double* s, nint ld, double* d, int panel)
        {
            Vector512<double> r0 = Vector512.Load(s);
            Vector512<double> r1 = Vector512.Load(s + ld);

            // Lane L of the low (high) unpack holds the two lines at depth 2L (2L + 1).
            StoreLanes(Avx512F.UnpackLow(r0, r1), d, 2 * panel);
            StoreLanes(Avx512F.UnpackHigh(r0, r1), d + panel, 2 * panel);
        }
    }

    /// <summary>
    /// Four float lines by 4 depth steps in 128-bit vectors, for hardware without AVX-512: the lines interleaved in
    /// pairs (UNPCKLPS/UNPCKHPS) and the pairs' halves joined (MOVLHPS/MOVHLPS), each result the four lines at one step.
    /// </summary>
    public readonly struct Float4x4 : IGemmTransposeBlock<float>
    {
        public static int Lines => 4;

        public static int Depth => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Transpose(float* s, nint ld, float* d, int panel)
        {
            Vector128<float> r0 = Sse.LoadVector128(s);
            Vector128<float> r1 = Sse.LoadVector128(s + ld);
            Vector128<float> r2 = Sse.LoadVector128(s + (2 * ld));
            Vector128<float> r3 = Sse.LoadVector128(s + (3 * ld));

            // t0 = (r0[0], r1[0], r0[1], r1[1]), t1 = (r0[2], r1[2], r0[3], r1[3]); t2, t3 likewise for r2, r3.
            Vector128<float> t0 = Sse.UnpackLow(r0, r1);
            Vector128<float> t1 = Sse.UnpackHigh(r0, r1);
            Vector128<float> t2 = Sse.UnpackLow(r2, r3);
            Vector128<float> t3 = Sse.UnpackHigh(r2, r3);
            Sse.Store(d, Sse.MoveLowToHigh(t0, t2));
            Sse.Store(d + panel, Sse.MoveHighToLow(t2, t0));
            Sse.Store(d + (2 * panel), Sse.MoveLowToHigh(t1, t3));
            Sse.Store(d + (3 * panel), Sse.MoveHighToLow(t3, t1));
        }
    }

    /// <summary>
    /// Two float lines by 4 depth steps in 128-bit vectors, for the pair of lines a 6-line panel has beyond its
    /// <see cref="Float4x4"/> blocks: the lines interleaved (UNPCKLPS/UNPCKHPS), each half of a result (the two lines at
    /// one step) stored on its own (MOVLPS/MOVHPS).
    /// </summary>
    public readonly struct Float2x4 : IGemmTransposeBlock<float>
    {
        public static int Lines => 2;

        public static int Depth => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Transpose(float* s, nint ld, float* d, int panel)
        {
            Vector128<float> r0 = Sse.LoadVector128(s);
            Vector128<float> r1 = Sse.LoadVector128(s + ld);
            Vector128<float> low = Sse.UnpackLow(r0, r1);
            Vector128<float> high = Sse.UnpackHigh(r0, r1);
            Sse.StoreLow(d, low);
            Sse.StoreHigh(d + panel, low);
            Sse.StoreLow(d + (2 * panel), high);
            Sse.StoreHigh(d + (3 * panel), high);
        }
    }

    /// <summary>Two double lines by 2 depth steps in 128-bit vectors (UNPCKLPD/UNPCKHPD), for hardware without AVX-512.</summary>
    public readonly struct Double2x2 : IGemmTransposeBlock<double>
    {
        public static int Lines => 2;

        public static int Depth => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Transpose(double* s, nint ld, double* d, int panel)
        {
            Vector128<double> r0 = Sse2.LoadVector128(s);
            Vector128<double> r1 = Sse2.LoadVector128(s + ld);
            Sse2.Store(d, Sse2.UnpackLow(r0, r1));
            Sse2.Store(d + panel, Sse2.UnpackHigh(r0, r1));
        }
    }
}
