using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>
/// GotoBLAS/BLIS blocked product over a rectangular region of C. Loop nest, outermost first:
/// row blocks of <c>Mc</c> → depth blocks of <c>Kc</c> (pack op(A) block) → column blocks of <c>Nc</c> (pack op(B)
/// block) → A micro-panels of <c>Mr</c> rows → B micro-panels of <c>Nr</c> columns → micro-kernel; the block sizes come
/// from the machine's caches (<see cref="GemmBlocking"/>). Each depth pass sweeps the whole width of C, so the A block is
/// packed once per depth block however wide C is; C need not stay cached between passes, as the micro-kernel fetches
/// each tile's lines before its depth loop and every depth block is deep enough to hide that fetch
/// (<see cref="GemmBlocking.DepthBlock"/>). (Column slabs sized to keep C in the last cache level, which packed A once
/// per slab, ran 4% slower at 2048³ and 15% at 4096·1024·4096.)
/// The packed A micro-panel stays in L1 while the B micro-panels stream from the L2-resident B block. A B packed ahead
/// of the product (<see cref="GemmProblem{T}.PackedB"/>) is read in place, block by block in the same layout; so is A
/// in narrow products, row-major or stored transposed, by kernels that can (<see cref="IGemmMicroKernel{T}.ReadsUnpackedA"/>).
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
/// <typeparam name="TKernel">Micro-kernel and its blocking.</typeparam>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : IGemmMicroKernel<T>
{
    /// <summary>
    /// Computes rows [<paramref name="row0"/>, <paramref name="row1"/>) × columns [<paramref name="col0"/>,
    /// <paramref name="col1"/>) of C with the calling thread's workspace. Element (i, j) becomes
    /// <c>C₀ + s₁ + s₂ + …</c> (C₀ only when accumulating), where <c>s_b</c> sums depth block b in increasing
    /// depth order; this does not depend on the region bounds, so any split of C over threads gives bit-identical
    /// results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunRegion(in GemmProblem<T> problem, int row0, int row1, int col0, int col1)
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        GemmBlocking blocking = GemmBlocking<T, TKernel>.Value;
        int mcMax = Math.Min(blocking.Mc, RoundUp(row1 - row0, mr));
        int kcMax = blocking.DepthBlock(problem.K);
        int ncMax = Math.Min(blocking.Nc, RoundUp(col1 - col0, nr));

        nint aBytes = GemmWorkspace.RoundUp((nint)mcMax * kcMax * sizeof(T));
        nint bBytes = problem.PackedB == null ? GemmWorkspace.RoundUp((nint)ncMax * kcMax * sizeof(T)) : 0;
        nint packedWidth = RoundUp(Math.Max(problem.N, problem.PackedColumns), nr);
        nint tileBytes = (nint)mr * nr * sizeof(T);
        byte* memory = GemmWorkspace.Current.Acquire(aBytes + bBytes + tileBytes);
        T* aPack = (T*)memory;
        T* bPack = (T*)(memory + aBytes);
        T* tile = (T*)(memory + aBytes + bBytes);

        nint ldc = problem.Ldc;
        bool unpackedA = ReadsAInPlace(problem);
        nint lda = problem.Lda;
        int k = problem.K;
        for (int ic = row0; ic < row1; ic += mcMax)
        {
            int mc = Math.Min(mcMax, row1 - ic), fullRows = GemmPacking<T, TKernel>.FullPanelRows(mc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                // A B packed ahead for a deeper product keeps that depth's panel stride (GemmProblem.PackedDepth).
                nint panelDepth = problem.PackedDepth > 0 ? problem.PackedDepth : kc;
                // The first depth block's tiles add the bias row as they are stored (Bias never comes with Accumulate).
                bool addToC = problem.Accumulate || pc > 0;
                T* bias = pc == 0 ? problem.Bias : null;
                if (!unpackedA)
                {
                    GemmPacking<T, TKernel>.PackA(problem, ic, mc, pc, kc, aPack);
                }
                for (int jc = col0; jc < col1; jc += ncMax)
                {
                    int nc = Math.Min(ncMax, col1 - jc);
                    T* bBlock = problem.PackedB == null ? bPack : problem.PackedB + ((nint)pc * packedWidth) + (jc * panelDepth);
                    if (problem.PackedB == null)
                    {
                        GemmPacking<T, TKernel>.PackB(problem, pc, kc, jc, nc, bPack);
                    }
                    for (int ir = 0, panel = 0, height; ir < mc; ir += height, panel++)
                    {
                        height = GemmPacking<T, TKernel>.PanelHeight(ir, mc, fullRows);
                        // A read in place serves full tiles; a short tile is packed on its own.
                        bool inPlace = unpackedA && height == mr;
                        T* aPanel = inPlace ? problem.AAt(ic + ir, pc) : aPack + (unpackedA ? 0 : (nint)panel * mr * kc);
                        if (unpackedA && !inPlace)
                        {
                            GemmPacking<T, TKernel>.PackA(problem, ic + ir, height, pc, kc, aPack);
                        }
                        T* cRow = problem.C + ((ic + ir) * ldc) + jc;
                        // The next packed A panel is fetched into L2 a few lines per tile while this row of tiles runs:
                        // beyond a few hundred rows the packed A block no longer fits in L2 beside the B block, and a
                        // panel's first tile waited on the last cache level (2048³ 2.7% faster at the fastest call, 1024³
                        // 0.3%; Zen 4).
                        byte* nextPanel = !unpackedA && ir + height < mc ? (byte*)(aPanel + ((nint)mr * kc)) : null;
                        nint prefetchChunk = ((nint)mr * kc * sizeof(T) / ((nc + nr - 1) / nr) + CacheSizes.LineBytes - 1) & -CacheSizes.LineBytes;
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            if (nextPanel != null)
                            {
                                for (nint line = 0; line < prefetchChunk; line += CacheSizes.LineBytes)
                                {
                                    Sse.Prefetch1(nextPanel + line);
                                }
                                nextPanel += prefetchChunk;
                            }
                            int width = Math.Min(nr, nc - jr);
                            T* bPanel = bBlock + (jr * panelDepth);
                            T* row = bias == null ? null : bias + jc + jr;
                            if (inPlace && width == nr)
                            {
                                RunInPlace(problem.TransposeA, kc, aPanel, lda, bPanel, cRow + jr, ldc, addToC, row);
                            }
                            else if (height == mr && width == nr)
                            {
                                TKernel.Run(kc, aPanel, bPanel, cRow + jr, ldc, addToC, row);
                            }
                            else if (width == nr && TKernel.RunsShortTiles)
                            {
                                TKernel.RunRows(height, kc, aPanel, bPanel, cRow + jr, ldc, addToC, row);
                            }
                            else
                            {
                                EdgeTile(kc, aPanel, inPlace ? lda : 0, problem.TransposeA, bPanel, cRow + jr, ldc, height, width, addToC, row, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether full tiles of A are read where A is stored rather than packed: by kernels that can, when the product is at
    /// most one B block wide (half an L2 of packed columns) or at most <see cref="MinInPlacePanels"/> B panels, and at most
    /// <see cref="MaxInPlaceColumns"/>, so that each A tile meets few B panels: 2048×128×128 ran 6% and an attention
    /// product 128×128×32 26% faster; wider products pack A, each packed tile serving many panels (1024³ ran 2.5% slower in
    /// place on an AVX2 EPYC, 8% on a Zen 4 with AVX-512; with two B blocks as the limit, the Zen 4's 352-column blocks let
    /// 512 columns through, and 2048×128×512 ran 3.5%, 2048×64×384 10% and 512³ 1% slower in place than packed). An A
    /// stored transposed is read in place only when all of it fits in half the L1 data cache (<see cref="FitsHalfL1"/>).
    /// </summary>
    public static bool ReadsAInPlace(in GemmProblem<T> problem) =>
        TKernel.ReadsUnpackedA && (!problem.TransposeA || FitsHalfL1(problem))
        && problem.N <= Math.Min(Math.Max(GemmBlocking<T, TKernel>.Value.Nc, MinInPlacePanels * TKernel.Nr), MaxInPlaceColumns);

    /// <summary>
    /// Whether all of A fits in half the L1 data cache, as attention's weights of a block of queries do (at most
    /// 24 × 128 floats for 128 keys), whose transposes the backward pass multiplies by the block's gradient and queries.
    /// A tile read in place from an A stored transposed takes a few values of each stored row, one row per depth step;
    /// held in L1 that costs nothing, where packing such an A took 6% of attention's time forward and backward (Zen 4,
    /// one thread: the transformer's [16, 4, 128, 32] causal attention forward and backward 3.8–6.6% faster in place).
    /// Larger ones stay packed: read in place, the weight gradients' 128·128·2048 and 512·128·2048 ran 3–8% faster on
    /// one thread, but on two 512·128·2048 took 1.86–1.97 ms against 1.47–1.89 packed (their tiles' rows then come
    /// from L2 and beyond, with both cores streaming), and rows a multiple of 4 KiB apart all fall in one L1 set
    /// (1024·256·2016 24% slower).
    /// </summary>
    private static bool FitsHalfL1(in GemmProblem<T> problem) =>
        (long)problem.M * problem.K * sizeof(T) <= CacheSizes.Machine.L1Data / 2;

    /// <summary>The full tile on A read in place: row-major with leading dimension <paramref name="lda"/>, or stored transposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunInPlace(bool transposedA, int kc, T* a, nint lda, T* b, T* c, nint ldc, bool addToC, T* row)
    {
        if (transposedA)
        {
            TKernel.RunColumnMajor(kc, a, lda, b, c, ldc, addToC, row);
        }
        else
        {
            TKernel.RunRowMajor(kc, a, lda, b, c, ldc, addToC, row);
        }
    }

    /// <summary>The widest product whose A is read in place, whatever the caches (<see cref="ReadsAInPlace"/>).</summary>
    private const int MaxInPlaceColumns = 512;

    /// <summary>
    /// The B panels a product may span and still have A read in place, however small the L2's B blocks: an L2 of
    /// 512 KiB makes 176-column blocks for the AVX2 kernel, and a Zen 3 with one ran 256 columns (16 panels) faster in
    /// place, one thread, paired calls at the fastest: 128×256×784 with B transposed (an MLP's first layer) 2–5%,
    /// 2048×256×128 4%. It ran 384 and 512 columns faster in place as well (1.2–1.6%), which the Zen 4 above did not.
    /// </summary>
    private const int MinInPlacePanels = 16;

    /// <summary>
    /// Runs the full-size kernel (on A in place when <paramref name="lda"/> is positive) into a scratch tile, then stores
    /// (or adds, or stores plus the first <paramref name="width"/> values of <paramref name="row"/>) only its valid
    /// height×width corner, with the same arithmetic as a full tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EdgeTile(
        int kc, T* aPanel, nint lda, bool transposedA, T* bPanel, T* c, nint ldc, int height, int width, bool addToC, T* row, T* tile)
    {
        int nr = TKernel.Nr;
        if (lda > 0)
        {
            RunInPlace(transposedA, kc, aPanel, lda, bPanel, tile, nr, addToC: false, row: null);
        }
        else
        {
            TKernel.Run(kc, aPanel, bPanel, tile, nr, addToC: false, row: null);
        }
        for (int i = 0; i < height; i++)
        {
            T* src = tile + (i * nr);
            T* dst = c + (i * ldc);
            if (addToC)
            {
                for (int j = 0; j < width; j++)
                {
                    dst[j] += src[j];
                }
            }
            else if (row != null)
            {
                for (int j = 0; j < width; j++)
                {
                    dst[j] = src[j] + row[j];
                }
            }
            else
            {
                new ReadOnlySpan<T>(src, width).CopyTo(new Span<T>(dst, width));
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
