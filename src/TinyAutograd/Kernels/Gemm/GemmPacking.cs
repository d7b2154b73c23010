using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>
/// Packs blocks of op(A) and op(B) into the contiguous micro-panel layout the micro-kernel streams:
/// an A micro-panel holds <c>Mr</c> rows as <c>panel[p·Mr + i] = op(A)[row0 + i, p0 + p]</c>, a B micro-panel holds
/// <c>Nr</c> columns as <c>panel[p·Nr + j] = op(B)[p0 + p, col0 + j]</c>; rows or columns past the edge are zero.
/// Transposition is resolved here, so the kernel never sees a transpose flag: when a panel's elements for one depth
/// step are contiguous in the source they are copied line by line, otherwise the source lines are transposed
/// in registers (<see cref="GemmTransposeBlocks"/>: 512-bit vectors under AVX-512, 128-bit ones elsewhere).
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
/// <typeparam name="TKernel">Micro-kernel whose panel sizes are used.</typeparam>
internal static unsafe class GemmPacking<T, TKernel>
    where T : unmanaged
    where TKernel : IGemmMicroKernel<T>
{
    /// <summary>
    /// Depth steps copied per panel before moving on (keeps the source lines in L1 and the TLB): no more lines than the
    /// ways of an x86 core's L1 data cache (8), because lines a multiple of 4 KiB apart all fall in one of its sets, and
    /// each is read again for the next panel. (A transposed A of 1024 columns, an LSTM's input-weight gradient
    /// 1024×2048×64, ran 8% faster than with 16.)
    /// </summary>
    private const int CopyChunk = 8;

    /// <summary>
    /// Packs op(A)[row0 .. row0+rows, p0 .. p0+kc] into ⌈rows/Mr⌉ consecutive micro-panels at
    /// <paramref name="dst"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void PackA(in GemmProblem<T> problem, int row0, int rows, int p0, int kc, T* dst)
    {
        int r = 0, full = FullPanelRows(rows);
        bool fetchAhead = OutgrowsL2(rows, kc);
        if (problem.TransposeA)
        {
            r = full;
            CopyPanels(problem.AAt(row0, p0), problem.Lda, r, kc, TKernel.Mr, dst);
            dst += (nint)((r + TKernel.Mr - 1) / TKernel.Mr) * TKernel.Mr * kc;
        }

        for (int height; r < rows; r += height)
        {
            height = PanelHeight(r, rows, full);
            if (problem.TransposeA)
            {
                CopyPanels(problem.AAt(row0 + r, p0), problem.Lda, height, kc, TKernel.Mr, dst);
            }
            else
            {
                TransposePanel(problem.AAt(row0 + r, p0), problem.Lda, height, kc, TKernel.Mr, dst, fetchAhead);
            }

            dst += (nint)TKernel.Mr * kc;
        }
    }

    /// <summary>
    /// Whether an A block of <paramref name="rows"/> × <paramref name="kc"/> is larger than half the L2, which the B block
    /// fills: its rows then come from the last cache level or memory as they are packed, and each panel fetches the next
    /// one's into L2 as it goes (on a Zen 3, one thread, paired calls: 512³, 1024³ and 2048³ 1–1.5% faster, the packing's
    /// transposes 2.9% → 2.0% of 1024³'s samples). Smaller blocks, whose rows a model's previous op has usually left in
    /// L2, fetch nothing.
    /// </summary>
    private static bool OutgrowsL2(int rows, int kc) => (long)rows * kc * sizeof(T) > CacheSizes.Machine.L2 / 2;

    /// <summary>
    /// How many of <paramref name="rows"/> rows of A go in micro-panels of the full <c>Mr</c> (the last of them possibly
    /// shorter): all, except that a kernel with a loop of its own for short tiles
    /// (<see cref="IGemmMicroKernel{T}.RunsShortTiles"/>) does not end on a panel of at most Mr/3 rows, whose few
    /// accumulators leave the multiply-add units half idle; the last full panel and those rows make two panels of
    /// nearly equal height instead (32 rows with Mr = 6: 6, 6, 6, 6, 4, 4 rather than 6, 6, 6, 6, 6, 2).
    /// </summary>
    public static int FullPanelRows(int rows)
    {
        int mr = TKernel.Mr, rest = rows % mr;
        return TKernel.RunsShortTiles && rows > mr && rest > 0 && rest <= mr / 3 ? rows - mr - rest : rows;
    }

    /// <summary>The height of the A micro-panel starting <paramref name="offset"/> rows into a block of
    /// <paramref name="rows"/> (the panels <see cref="PackA"/> makes, in order), given the block's
    /// <paramref name="full"/> = <see cref="FullPanelRows"/>(rows).</summary>
    public static int PanelHeight(int offset, int rows, int full) =>
        offset < full ? Math.Min(TKernel.Mr, full - offset)
            : offset == full ? (rows - full + 1) / 2
            : rows - offset;

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, col0 .. col0+cols] into ⌈cols/Nr⌉ consecutive micro-panels at
    /// <paramref name="dst"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void PackB(in GemmProblem<T> problem, int p0, int kc, int col0, int cols, T* dst)
    {
        if (problem.BIsImage)
        {
            GemmImageColumns.Pack<T, TKernel>(problem.Image, problem.B, p0, kc, col0, cols, dst);
            return;
        }

        if (!problem.TransposeB)
        {
            CopyPanels(problem.BAt(p0, col0), problem.Ldb, cols, kc, TKernel.Nr, dst);
            return;
        }

        for (int c = 0; c < cols; c += TKernel.Nr)
        {
            int width = Math.Min(TKernel.Nr, cols - c);
            TransposePanel(problem.BAt(p0, col0 + c), problem.Ldb, width, kc, TKernel.Nr, dst, fetchAhead: false);
            dst += (nint)TKernel.Nr * kc;
        }
    }

    /// <summary>
    /// Source lines are depth steps: panel q gets
    /// <c>dst[q·panel·kc + p·panel + j] = src[p·ld + q·panel + j]</c>, zero for <c>q·panel + j ≥ width</c>.
    /// Works through the depth in chunks so each chunk of source lines is read once across all panels; as each piece of
    /// a full panel is copied, the same piece of the next chunk's line is asked into L2.
    /// </summary>
    /// <remarks>
    /// The fetch ahead: the weight gradients of a model's layers (∂L/∂W = ∂L/∂Yᵀ·X, op(A) stored transposed and B
    /// row-major, both copied here) pack operands that an earlier pass left in the last cache level or memory, and each
    /// copy waited on its line. Fetched a chunk ahead, the transformer step ran 1.1–1.6% faster (Zen 4, one thread, the
    /// fetch toggled call by call in one process, 60 pairs, two runs) and 384·128·2048 with A stored transposed 2–10%;
    /// two chunks ahead, or into L1, did no better.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPanels(T* src, nint ld, int width, int kc, int panel, T* dst)
    {
        int fullPanels = width / panel;
        int rest = width - (fullPanels * panel);
        nint panelSize = (nint)panel * kc;
        for (int p0 = 0; p0 < kc; p0 += CopyChunk)
        {
            int steps = Math.Min(CopyChunk, kc - p0);
            int fetched = Sse.IsSupported ? Math.Min(CopyChunk, kc - p0 - CopyChunk) : 0;
            T* chunkSrc = src + (p0 * ld);
            T* chunkDst = dst + ((nint)p0 * panel);
            for (int q = 0; q < fullPanels; q++)
            {
                T* s = chunkSrc + (q * panel);
                T* d = chunkDst + (q * panelSize);
                for (int p = 0; p < steps; p++)
                {
                    if (p < fetched)
                    {
                        Sse.Prefetch1(s + (CopyChunk * ld));
                    }
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
    /// zero for height ≤ i &lt; panel; with <paramref name="fetchAhead"/>, the next panel's lines (<paramref name="height"/>
    /// lines on) are fetched into L2 alongside.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposePanel(T* src, nint ld, int height, int kc, int panel, T* dst, bool fetchAhead)
    {
        nint ahead = fetchAhead ? height : 0;
        // Lines [0, blockLines) × depth [0, blockDepth) and the next pairLines float lines × depth [0, pairDepth) go
        // through in-register transposes (the depth short of a 512-bit block in 128-bit blocks); the rest element by element.
        int blockLines = 0, blockDepth = 0, pairLines = 0, pairDepth = 0;
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            blockDepth = Transposed<float, GemmTransposeBlocks.Float4x16>(src, ld, height, kc, panel, dst, ahead, out blockLines);
            blockDepth += Transposed<float, GemmTransposeBlocks.Float4x4>(
                src + blockDepth, ld, blockLines, kc - blockDepth, panel, dst + ((nint)blockDepth * panel), ahead, out _);
        }
        else if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            blockDepth = Transposed<double, GemmTransposeBlocks.Double2x8>(src, ld, height, kc, panel, dst, ahead, out blockLines);
            blockDepth += Transposed<double, GemmTransposeBlocks.Double2x2>(
                src + blockDepth, ld, blockLines, kc - blockDepth, panel, dst + ((nint)blockDepth * panel), ahead, out _);
        }
        else if (Sse.IsSupported && typeof(T) == typeof(float))
        {
            blockDepth = Transposed<float, GemmTransposeBlocks.Float4x4>(src, ld, height, kc, panel, dst, ahead, out blockLines);
        }
        else if (Sse2.IsSupported && typeof(T) == typeof(double))
        {
            blockDepth = Transposed<double, GemmTransposeBlocks.Double2x2>(src, ld, height, kc, panel, dst, ahead, out blockLines);
        }

        if (Sse.IsSupported && typeof(T) == typeof(float) && height - blockLines >= 2)
        {
            // The pair of lines past the blocks of four (a 6-line panel's last two).
            pairDepth = Transposed<float, GemmTransposeBlocks.Float2x4>(
                src + (blockLines * ld), ld, height - blockLines, kc, panel, dst + blockLines, ahead, out pairLines);
        }

        for (int i = 0; i < height; i++)
        {
            T* s = src + (i * ld);
            T* d = dst + i;
            for (int p = i < blockLines ? blockDepth : i < blockLines + pairLines ? pairDepth : 0; p < kc; p++)
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
    /// Runs <typeparamref name="TBlock"/> over as many of the <paramref name="height"/> lines as make whole blocks
    /// (<paramref name="lines"/>); returns the depth it handled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Transposed<TElement, TBlock>(T* src, nint ld, int height, int kc, int panel, T* dst, nint fetchAhead, out int lines)
        where TElement : unmanaged
        where TBlock : IGemmTransposeBlock<TElement>
    {
        lines = height / TBlock.Lines * TBlock.Lines;
        return GemmTransposeBlocks.Run<TElement, TBlock>((TElement*)src, ld, kc, lines, panel, (TElement*)dst, fetchAhead);
    }
}
