using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>
/// Packs blocks of op(A) and op(B) into the contiguous micro-panel layout the micro-kernel streams:
/// an A micro-panel holds <c>Mr</c> rows as <c>panel[p·Mr + i] = op(A)[row0 + i, p0 + p]</c>, a B micro-panel holds
/// <c>Nr</c> columns as <c>panel[p·Nr + j] = op(B)[p0 + p, col0 + j]</c>; rows or columns past the edge are zero.
/// Transposition is resolved here, so the kernel never sees a transpose flag: when a panel's elements for one depth
/// step are contiguous in the source they are copied line by line, otherwise the source lines are transposed
/// (with in-register 4×4 / 2×2 transposes under AVX-512, 4×4 / 2×2 transposes of 128-bit vectors elsewhere).
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
/// <typeparam name="TKernel">Micro-kernel whose panel sizes are used.</typeparam>
internal static unsafe class GemmPacking<T, TKernel>
    where T : unmanaged
    where TKernel : IGemmMicroKernel<T>
{
    /// <summary>Depth steps copied per panel before moving on (keeps the source lines in L1 and the TLB).</summary>
    private const int CopyChunk = 16;

    /// <summary>
    /// Packs op(A)[row0 .. row0+rows, p0 .. p0+kc] into ⌈rows/Mr⌉ consecutive micro-panels at
    /// <paramref name="dst"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void PackA(in GemmProblem<T> problem, int row0, int rows, int p0, int kc, T* dst)
    {
        if (problem.TransposeA)
        {
            CopyPanels(problem.AAt(row0, p0), problem.M, rows, kc, TKernel.Mr, dst);
            return;
        }

        for (int r = 0; r < rows; r += TKernel.Mr)
        {
            int height = Math.Min(TKernel.Mr, rows - r);
            TransposePanel(problem.AAt(row0 + r, p0), problem.K, height, kc, TKernel.Mr, dst);
            dst += (nint)TKernel.Mr * kc;
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, col0 .. col0+cols] into ⌈cols/Nr⌉ consecutive micro-panels at
    /// <paramref name="dst"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void PackB(in GemmProblem<T> problem, int p0, int kc, int col0, int cols, T* dst)
    {
        if (!problem.TransposeB)
        {
            CopyPanels(problem.BAt(p0, col0), problem.N, cols, kc, TKernel.Nr, dst);
            return;
        }

        for (int c = 0; c < cols; c += TKernel.Nr)
        {
            int width = Math.Min(TKernel.Nr, cols - c);
            TransposePanel(problem.BAt(p0, col0 + c), problem.K, width, kc, TKernel.Nr, dst);
            dst += (nint)TKernel.Nr * kc;
        }
    }

    /// <summary>
    /// Source lines are depth steps: panel q gets
    /// <c>dst[q·panel·kc + p·panel + j] = src[p·ld + q·panel + j]</c>, zero for <c>q·panel + j ≥ width</c>.
    /// Works through the depth in chunks so each chunk of source lines is read once across all panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPanels(T* src, nint ld, int width, int kc, int panel, T* dst)
    {
        int fullPanels = width / panel;
        int rest = width - (fullPanels * panel);
        nint panelSize = (nint)panel * kc;
        for (int p0 = 0; p0 < kc; p0 += CopyChunk)
        {
            int steps = Math.Min(CopyChunk, kc - p0);
            T* chunkSrc = src + (p0 * ld);
            T* chunkDst = dst + ((nint)p0 * panel);
            for (int q = 0; q < fullPanels; q++)
            {
                T* s = chunkSrc + (q * panel);
                T* d = chunkDst + (q * panelSize);
                for (int p = 0; p < steps; p++)
                {
                    CopyLine(d, s, panel);
                    s += ld;
                    d += panel;
                }
            }

            if (rest > 0)
            {
                T* s = chunkSrc + (fullPanels * panel);
                T* d = chunkDst + (fullPanels * panelSize);
                for (int p = 0; p < steps; p++)
                {
                    new ReadOnlySpan<T>(s, rest).CopyTo(new Span<T>(d, rest));
                    new Span<T>(d + rest, panel - rest).Clear();
                    s += ld;
                    d += panel;
                }
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> elements (a JIT-time constant at each call, so unrolled).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyLine(T* d, T* s, int count) => Unsafe.CopyBlockUnaligned(d, s, (uint)(count * sizeof(T)));

    /// <summary>
    /// Source lines are the panel's rows or columns: <c>dst[p·panel + i] = src[i·ld + p]</c> for i &lt; height,
    /// zero for height ≤ i &lt; panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposePanel(T* src, nint ld, int height, int kc, int panel, T* dst)
    {
        // Lines [0, simdLines) × depth [0, done) go through in-register transposes; the rest element by element.
        int simdLines = 0;
        int done = 0;
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            simdLines = height & ~3;
            done = Transpose4x4Blocks((float*)src, ld, kc, simdLines, panel, (float*)dst);
        }
        else if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            simdLines = height & ~1;
            done = Transpose2x2Blocks((double*)src, ld, kc, simdLines, panel, (double*)dst);
        }
        else if (Sse.IsSupported && typeof(T) == typeof(float))
        {
            simdLines = height & ~3;
            done = Transpose4x4BlocksNarrow((float*)src, ld, kc, simdLines, panel, (float*)dst);
        }
        else if (Sse2.IsSupported && typeof(T) == typeof(double))
        {
            simdLines = height & ~1;
            done = Transpose2x2BlocksNarrow((double*)src, ld, kc, simdLines, panel, (double*)dst);
        }

        for (int i = 0; i < height; i++)
        {
            T* s = src + (i * ld);
            T* d = dst + i;
            for (int p = i < simdLines ? done : 0; p < kc; p++)
            {
                d[(nint)p * panel] = s[p];
            }
        }

        if (height < panel)
        {
            for (int p = 0; p < kc; p++)
            {
                T* d = dst + ((nint)p * panel);
                for (int i = height; i < panel; i++)
                {
                    d[i] = default;
                }
            }
        }
    }

    /// <summary>
    /// Transposes the first <paramref name="lines"/> (a multiple of 4) source lines 16 depth steps at a time: four
    /// lines at once are transposed within each 128-bit lane, then each lane (four lines' values at one depth step)
    /// is stored into its place. Returns the depth handled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Transpose4x4Blocks(float* src, nint ld, int kc, int lines, int panel, float* dst)
    {
        int p = 0;
        for (; lines > 0 && p + 16 <= kc; p += 16)
        {
            for (int g = 0; g < lines; g += 4)
            {
                float* s = src + (g * ld) + p;
                Vector512<float> r0 = Vector512.Load(s);
                Vector512<float> r1 = Vector512.Load(s + ld);
                Vector512<float> r2 = Vector512.Load(s + (2 * ld));
                Vector512<float> r3 = Vector512.Load(s + (3 * ld));
                Vector512<double> t0 = Avx512F.UnpackLow(r0, r1).AsDouble();
                Vector512<double> t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
                Vector512<double> t2 = Avx512F.UnpackLow(r2, r3).AsDouble();
                Vector512<double> t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();

                // Lane L of uX holds the four lines at depth p + 4L + X.
                float* d = dst + ((nint)p * panel) + g;
                StoreLanes(Avx512F.UnpackLow(t0, t2).AsSingle(), d, 4 * panel);
                StoreLanes(Avx512F.UnpackHigh(t0, t2).AsSingle(), d + panel, 4 * panel);
                StoreLanes(Avx512F.UnpackLow(t1, t3).AsSingle(), d + (2 * panel), 4 * panel);
                StoreLanes(Avx512F.UnpackHigh(t1, t3).AsSingle(), d + (3 * panel), 4 * panel);
            }
        }

        return p;
    }

    /// <summary>
    /// <see cref="Transpose4x4Blocks"/> on 128-bit vectors, for hardware without AVX-512: four lines by four depth steps
    /// at a time, interleaved in pairs (UNPCKLPS/UNPCKHPS) and the pairs' halves joined (MOVLHPS/MOVHLPS), each result
    /// the four lines at one depth step. Returns the depth handled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Transpose4x4BlocksNarrow(float* src, nint ld, int kc, int lines, int panel, float* dst)
    {
        int p = 0;
        for (; lines > 0 && p + 4 <= kc; p += 4)
        {
            for (int g = 0; g < lines; g += 4)
            {
                float* s = src + (g * ld) + p;
                Vector128<float> r0 = Sse.LoadVector128(s);
                Vector128<float> r1 = Sse.LoadVector128(s + ld);
                Vector128<float> r2 = Sse.LoadVector128(s + (2 * ld));
                Vector128<float> r3 = Sse.LoadVector128(s + (3 * ld));

                // t0 = (r0[0], r1[0], r0[1], r1[1]), t1 = (r0[2], r1[2], r0[3], r1[3]); t2, t3 likewise for r2, r3.
                Vector128<float> t0 = Sse.UnpackLow(r0, r1);
                Vector128<float> t1 = Sse.UnpackHigh(r0, r1);
                Vector128<float> t2 = Sse.UnpackLow(r2, r3);
                Vector128<float> t3 = Sse.UnpackHigh(r2, r3);
                float* d = dst + ((nint)p * panel) + g;
                Sse.Store(d, Sse.MoveLowToHigh(t0, t2));
                Sse.Store(d + panel, Sse.MoveHighToLow(t2, t0));
                Sse.Store(d + (2 * panel), Sse.MoveLowToHigh(t1, t3));
                Sse.Store(d + (3 * panel), Sse.MoveHighToLow(t3, t1));
            }
        }

        return p;
    }

    /// <summary>Double version of <see cref="Transpose4x4Blocks"/>: pairs of lines, 8 depth steps at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Transpose2x2Blocks(double* src, nint ld, int kc, int lines, int panel, double* dst)
    {
        int p = 0;
        for (; lines > 0 && p + 8 <= kc; p += 8)
        {
            for (int g = 0; g < lines; g += 2)
            {
                double* s = src + (g * ld) + p;
                Vector512<double> r0 = Vector512.Load(s);
                Vector512<double> r1 = Vector512.Load(s + ld);

                // Lane L of the low (high) unpack holds the two lines at depth p + 2L (p + 2L + 1).
                double* d = dst + ((nint)p * panel) + g;
                StoreLanes(Avx512F.UnpackLow(r0, r1), d, 2 * panel);
                StoreLanes(Avx512F.UnpackHigh(r0, r1), d + panel, 2 * panel);
            }
        }

        return p;
    }

    /// <summary><see cref="Transpose2x2Blocks"/> on 128-bit vectors, for hardware without AVX-512: pairs of lines, two depth
    /// steps at once (UNPCKLPD/UNPCKHPD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Transpose2x2BlocksNarrow(double* src, nint ld, int kc, int lines, int panel, double* dst)
    {
        int p = 0;
        for (; lines > 0 && p + 2 <= kc; p += 2)
        {
            for (int g = 0; g < lines; g += 2)
            {
                double* s = src + (g * ld) + p;
                Vector128<double> r0 = Sse2.LoadVector128(s);
                Vector128<double> r1 = Sse2.LoadVector128(s + ld);
                double* d = dst + ((nint)p * panel) + g;
                Sse2.Store(d, Sse2.UnpackLow(r0, r1));
                Sse2.Store(d + panel, Sse2.UnpackHigh(r0, r1));
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
}
