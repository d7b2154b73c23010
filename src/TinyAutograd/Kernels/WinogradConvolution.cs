using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>
/// A 3×3, stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for
/// Convolutional Neural Networks", CVPR 2016): each 2×2 block of outputs of each output channel costs 16 products per
/// input channel instead of the 36 of the direct sum, as 16 matrix products over all tiles at once.
/// </summary>
/// <remarks>
/// <para>
/// The output is cut into 2×2 tiles; tile (ty, tx) reads the 4×4 input patch d whose top-left corner is input position
/// (2ty − padTop, 2tx − padLeft) (zero outside the image). With Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0],
/// [0, 1, 0, −1]], G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]] and Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]:
/// V = Bᵀ·d·B per input channel and tile, U = G·g·Gᵀ per (output, input) channel pair, Mξ = Σ_c Uξ[o, c]·Vξ[c, tile]
/// for each of the 16 entries ξ (one matrix product each), and the tile's outputs are Aᵀ·M·A, plus the bias.
/// </para>
/// <para>
/// The transforms only add, subtract and halve, so they are exact up to rounding; the sum's rounding differs from the
/// direct one's, by a few units in the last place relative to the sum of the absolute terms.
/// </para>
/// <para>
/// Tiles are handled in chunks (bands of tile rows, or groups of small images; <see cref="ChooseChunks"/>), each
/// transformed, multiplied and transformed back while its 16 matrices are still in cache; chunks are spread over the
/// cores, and each chunk's arithmetic does not depend on which thread runs it, so the bits do not depend on the thread
/// count. To keep the transforms vectorized, a tile row carries one extra tile (its width is ⌈OW/2⌉ + 1) whose results
/// are discarded.
/// </para>
/// </remarks>
internal static unsafe class WinogradConvolution
{
    /// <summary>Entries of a transformed 4×4 tile.</summary>
    private const int Entries = 16;

    /// <summary>
    /// Channels (input and output) below which the direct product is kept: each of the 16 matrix products has the input
    /// channels as its depth and the output channels as its rows, and products that thin run far below the kernel's speed.
    /// </summary>
    private const int MinChannels = 16;

    /// <summary>
    /// The chunk size aimed at, in tiles: the 16 products of a chunk are then wide enough to run mostly whole
    /// micro-panels, and a chunk's transformed input and products, 16·(C + O)·128 elements (256 KiB to a few MiB), stay
    /// in the last-level cache between the transforms and the products. Among the chunkings that pad least
    /// (<see cref="ChooseChunks"/>), the one nearest this size is taken.
    /// </summary>
    private const int ChunkTiles = 128;

    /// <summary>
    /// The widest chunk considered, in tiles: 32×32 images of 64 channels two to a chunk (544 tiles, no padding) ran 6%
    /// slower than one to a chunk (272 tiles) on an AVX2 EPYC, their 16·128·544 transformed elements four times its L2.
    /// </summary>
    private const int MaxChunkTiles = 4 * ChunkTiles;

    /// <summary>
    /// How many more columns than the fewest a chunking may run and still be taken for being nearer
    /// <see cref="ChunkTiles"/>: 128 images of 8×8 (20 tiles each) run the fewest columns 19 to a chunk (380 tiles,
    /// 2592 columns), and 1.9% more 7 to a chunk (140 tiles), a quarter of the cache the wider chunks need.
    /// </summary>
    private const double PaddingTolerance = 0.02;

    /// <summary>Whether a convolution of <paramref name="g"/> with <paramref name="outChannels"/> outputs and <paramref name="groups"/> groups runs here.</summary>
    public static bool Handles(in ConvGeometry g, int groups, int outChannels) =>
        g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1
        && groups == 1 && g.Channels >= MinChannels && outChannels >= MinChannels
        && g.PadTop is >= 0 and <= 2 && g.PadBottom is >= 0 and <= 2 && g.PadLeft is >= 0 and <= 2 && g.PadRight is >= 0 and <= 2
        && g.Height > 0 && g.Width > 0 && g.OutHeight > 0 && g.OutWidth > 0;

    /// <summary>
    /// y = W ⋆ x + b over the whole batch. With <paramref name="adjoint"/>, the kernel is W'[c, o] = W[o, c] rotated by
    /// 180° instead (<paramref name="weights"/> then holds W as O' × C' × 3 × 3 with O' = <paramref name="g"/>'s channels
    /// and C' = <paramref name="outChannels"/>): the convolution that gives an input gradient.
    /// </summary>
    /// <param name="g">The geometry over the whole batch; <see cref="Handles"/> must hold.</param>
    /// <param name="outChannels">The output's channel count.</param>
    /// <param name="image">x, N × C × H × W (C = <paramref name="g"/>'s channels).</param>
    /// <param name="weights">W, outChannels × C × 3 × 3, or C × outChannels × 3 × 3 with <paramref name="adjoint"/>.</param>
    /// <param name="adjoint">Whether to use the rotated, transposed kernel.</param>
    /// <param name="bias">b, outChannels values, or empty for none.</param>
    /// <param name="output">y, N × outChannels × OH × OW.</param>
    public static void Forward<T>(in ConvGeometry g, int outChannels, ReadOnlySpan<T> image, ReadOnlySpan<T> weights, bool adjoint, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var transformed = TensorArena.Allocate<T>(Entries * outChannels * g.Channels, clear: false);
        // W is stored O × C × 3 × 3; with the adjoint, O is this convolution's input channels and C its outputs.
        TransformWeights(weights, adjoint ? g.Channels : outChannels, adjoint ? outChannels : g.Channels, adjoint, transformed);
        var plan = new Plan(g, outChannels, Vector<T>.Count, Gemm.KernelNr<T>());
        int chunks = plan.Chunks;
        long work = (long)Entries * outChannels * g.Channels * plan.TilesPerImage * g.Batch;
        int ranges = ParallelRanges.Worth(work, GemmParallel.MinWorkPerThread, chunks);
        var scratch = TensorArena.Allocate<T>(checked((int)(ranges * plan.ScratchLength)), clear: true);
        fixed (T* x = image, u = transformed, b = bias, y = output, s = scratch)
        {
            ParallelRanges.Run(new Chunks<T>(plan, x, u, bias.IsEmpty ? null : b, y, s), chunks, ranges, quantum: 1);
        }
    }

    /// <summary>
    /// ∂L/∂W of y = W ⋆ x (+ b) given g = ∂L/∂y, in the Winograd domain: y's tiles are Aᵀ·M·A, so ∂L/∂M = A·g·Aᵀ per
    /// output channel and tile; ∂L/∂Uξ[o, c] = Σ_tiles ∂L/∂Mξ[o, tile]·Vξ[c, tile], 16 products whose depth runs over
    /// the tiles, added chunk after chunk; and ∂L/∂W[o, c] = Gᵀ·∂L/∂U[o, c]·G.
    /// </summary>
    /// <remarks>
    /// The chunks are cut into <see cref="PartialSums"/>' parts, each transforming its own chunks once and summing them,
    /// chunk after chunk, into a ∂L/∂U of its own, so the bits do not depend on the thread count. (Splitting the 16
    /// products over the cores instead made every core transform every chunk.)
    /// </remarks>
    /// <param name="g">The geometry over the whole batch; <see cref="Handles"/> must hold.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="image">x, N × C × H × W.</param>
    /// <param name="outputGradient">g, N × O × OH × OW.</param>
    /// <param name="weightGradient">∂L/∂W, O × C × 3 × 3.</param>
    public static void WeightGradient<T>(in ConvGeometry g, int outChannels, ReadOnlySpan<T> image, ReadOnlySpan<T> outputGradient, Span<T> weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plan = new Plan(g, outChannels, Vector<T>.Count, Gemm.KernelNr<T>());
        int sumLength = Entries * outChannels * g.Channels;
        int parts = PartialSums.Count(plan.Chunks, image.Length, sumLength);
        // Cleared for an empty batch, whose sums have no terms.
        var sums = TensorArena.Allocate<T>(checked(parts * sumLength), clear: g.Batch == 0);
        long work = (long)Entries * outChannels * g.Channels * plan.TilesPerImage * g.Batch;
        int ranges = ParallelRanges.Worth(work, GemmParallel.MinWorkPerThread, parts);
        var scratch = TensorArena.Allocate<T>(checked((int)(ranges * plan.ScratchLength)), clear: true);
        fixed (T* x = image, dy = outputGradient, u = sums, s = scratch)
        {
            ParallelRanges.Run(new WeightGradientParts<T>(plan, parts, x, dy, u, s), parts, ranges, quantum: 1);
        }
        TransformWeightGradient<T>(PartialSums.Total<T>(sums, parts, sumLength), outChannels, g.Channels, weightGradient);
    }

    /// <summary>
    /// U = G·g·Gᵀ for every (output, input) channel pair of W (O × C × 3 × 3), stored [16][O][C]; with
    /// <paramref name="adjoint"/>, of W'[c, o] = W[o, c] rotated by 180°, stored [16][C][O].
    /// </summary>
    private static void TransformWeights<T>(ReadOnlySpan<T> weights, int outChannels, int channels, bool adjoint, Span<T> transformed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        int plane = outChannels * channels;
        Span<T> g = stackalloc T[9];
        Span<T> rows = stackalloc T[12];
        for (int o = 0; o < outChannels; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                var source = weights.Slice(((o * channels) + c) * 9, 9);
                for (int i = 0; i < 9; i++)
                {
                    g[i] = adjoint ? source[8 - i] : source[i];
                }
                // G·g: 4 rows of 3.
                for (int j = 0; j < 3; j++)
                {
                    rows[j] = g[j];
                    rows[3 + j] = (g[j] + g[3 + j] + g[6 + j]) * half;
                    rows[6 + j] = (g[j] - g[3 + j] + g[6 + j]) * half;
                    rows[9 + j] = g[6 + j];
                }
                int at = adjoint ? (c * outChannels) + o : (o * channels) + c;
                // (G·g)·Gᵀ: 4 columns per row.
                for (int i = 0; i < 4; i++)
                {
                    T a = rows[3 * i], b = rows[(3 * i) + 1], e = rows[(3 * i) + 2];
                    transformed[((4 * i) * plane) + at] = a;
                    transformed[(((4 * i) + 1) * plane) + at] = (a + b + e) * half;
                    transformed[(((4 * i) + 2) * plane) + at] = (a - b + e) * half;
                    transformed[(((4 * i) + 3) * plane) + at] = e;
                }
            }
        }
    }

    /// <summary>
    /// Images per chunk (more than one: groups of whole images) and tile rows per band (all of them for whole
    /// images) for <paramref name="batch"/> images of <paramref name="tileRows"/> rows of <paramref name="rowTiles"/>
    /// tiles. Every chunking of at most <see cref="MaxChunkTiles"/> tiles is weighed by the columns its products run,
    /// padding included (<see cref="ChunkColumns"/>); of those within <see cref="PaddingTolerance"/> of the fewest, the
    /// one whose chunks are nearest <see cref="ChunkTiles"/> tiles (by ratio) is taken. Padding is what the products
    /// waste, and a fixed chunk size often made much of it: 32×32 images, 17 tiles a row, in bands of 7, 7 and 2
    /// rows ran 128 + 128 + 48 columns for 272 tiles, against 272 as one band: 32 images, 64 → 64 channels, paired
    /// calls in one process on an AVX2 EPYC, forward 11% and forward with backward 11.5% faster on one thread, 16% on
    /// two; 14×14 images (two to a chunk either way) as before.
    /// </summary>
    internal static (int Images, int Rows) ChooseChunks(int batch, int tileRows, int rowTiles, int lanes, int panel)
    {
        long fewest = long.MaxValue;
        for (int candidate = 0; Chunking(candidate, batch, tileRows, rowTiles, lanes, panel) is { } chunking; candidate++)
        {
            fewest = Math.Min(fewest, chunking.Columns);
        }
        (int Images, int Rows) chosen = (1, 1);
        double nearest = double.PositiveInfinity;
        for (int candidate = 0; Chunking(candidate, batch, tileRows, rowTiles, lanes, panel) is { } chunking; candidate++)
        {
            double distance = Math.Abs(Math.Log((double)chunking.Tiles / ChunkTiles));
            if (chunking.Columns <= fewest * (1 + PaddingTolerance) && distance < nearest)
            {
                (chosen, nearest) = ((chunking.Images, chunking.Rows), distance);
            }
        }
        return chosen;
    }

    /// <summary>
    /// Chunking <paramref name="index"/> of those <see cref="ChooseChunks"/> weighs, null past the last: bands of 1, 2, …
    /// rows (one row even when wider than <see cref="MaxChunkTiles"/>), then groups of 2, 3, … whole images; with the
    /// tiles of its widest chunk and the columns all its chunks' products run.
    /// </summary>
    private static (int Images, int Rows, int Tiles, long Columns)? Chunking(int index, int batch, int tileRows, int rowTiles, int lanes, int panel)
    {
        int rows = index + 1;
        if (rows <= tileRows)
        {
            if (rows > 1 && rows * rowTiles > MaxChunkTiles)
            {
                return null;
            }
            int rest = tileRows % rows;
            long perImage = ((long)(tileRows / rows) * ChunkColumns(1, rows * rowTiles, lanes, panel)) + (rest > 0 ? ChunkColumns(1, rest * rowTiles, lanes, panel) : 0);
            return (1, rows, rows * rowTiles, batch * perImage);
        }
        int images = rows - tileRows + 1, imageTiles = tileRows * rowTiles;
        if (images > batch || images * imageTiles > MaxChunkTiles)
        {
            return null;
        }
        int chunks = (batch + images - 1) / images, last = batch - ((chunks - 1) * images);
        return (images, tileRows, images * imageTiles, ((long)(chunks - 1) * ChunkColumns(images, imageTiles, lanes, panel)) + ChunkColumns(last, imageTiles, lanes, panel));
    }

    /// <summary>
    /// The width of a chunk of <paramref name="images"/> segments of <paramref name="tiles"/> tiles each, the segments
    /// one after another: the last segment rounded up to whole vectors of <paramref name="lanes"/> (the transforms run
    /// whole vectors, each segment's spill lands on the next segment before that is written, the last one's on
    /// padding), then the whole to whole micro-panels of <paramref name="panel"/> (padding columns cost the product less
    /// than an edge tile). Padding tiles are discarded, like each row's last.
    /// </summary>
    private static int ChunkColumns(int images, int tiles, int lanes, int panel)
    {
        int vectors = ((images - 1) * tiles) + ((tiles + lanes - 1) / lanes * lanes);
        return (vectors + panel - 1) / panel * panel;
    }

    /// <summary>
    /// The tiling of one convolution: a chunk is a band of tile rows of one image, or a group of whole images
    /// (<see cref="ChooseChunks"/>); and the scratch a chunk needs.
    /// </summary>
    private readonly struct Plan
    {
        public Plan(in ConvGeometry geometry, int outChannels, int lanes, int panel)
        {
            Geometry = geometry;
            OutChannels = outChannels;
            Lanes = lanes;
            Panel = panel;
            TileRows = (geometry.OutHeight + 1) / 2;
            RowTiles = ((geometry.OutWidth + 1) / 2) + 1;
            (ImagesPerChunk, RowsPerChunk) = ChooseChunks(Math.Max(1, geometry.Batch), TileRows, RowTiles, lanes, panel);
            BandsPerImage = (TileRows + RowsPerChunk - 1) / RowsPerChunk;
        }

        public ConvGeometry Geometry { get; }

        public int OutChannels { get; }

        /// <summary>Elements per vector.</summary>
        public int Lanes { get; }

        /// <summary>The micro-panel width of the product's kernel.</summary>
        public int Panel { get; }

        /// <summary>Tile rows per image, ⌈OH/2⌉.</summary>
        public int TileRows { get; }

        /// <summary>Tiles per tile row, ⌈OW/2⌉ + 1 (the last one discarded).</summary>
        public int RowTiles { get; }

        /// <summary>Tiles per image, the discarded ones included.</summary>
        public int TilesPerImage => TileRows * RowTiles;

        public int ImagesPerChunk { get; }

        public int RowsPerChunk { get; }

        public int BandsPerImage { get; }

        public int Chunks => ImagesPerChunk > 1 ? (Geometry.Batch + ImagesPerChunk - 1) / ImagesPerChunk : Geometry.Batch * BandsPerImage;

        /// <summary>Tiles in the widest chunk.</summary>
        public int ChunkWidth => Width(ImagesPerChunk, RowsPerChunk * RowTiles);

        /// <summary>The width of a chunk of <paramref name="images"/> segments of <paramref name="tiles"/> tiles each (<see cref="ChunkColumns"/>).</summary>
        public int Width(int images, int tiles) => ChunkColumns(images, tiles, Lanes, Panel);

        /// <summary>
        /// Elements from one entry's matrix [channels][width] to the next's: the matrix and one cache line more. The
        /// transforms write (or read) all 16 entries of a tile at once; without the line, a matrix whose size is a
        /// multiple of 4 KiB (64 channels of 112 tiles: 28 KiB) put all 16 in the same set of an 8-way L1.
        /// </summary>
        public nint EntryStride(int channels, int width) => ((nint)channels * width) + LineElements;

        /// <summary>Elements per cache line (<see cref="CacheSizes.LineBytes"/>), an element being a vector's bytes over its lanes.</summary>
        private int LineElements => CacheSizes.LineBytes * Lanes / Vector<byte>.Count;

        /// <summary>Elements of one phase plane of a band: its rows and one more, plus a vector of slack.</summary>
        public int PhaseLength => ((RowsPerChunk + 1) * RowTiles) + Lanes;

        /// <summary>
        /// V [16][C][tiles] and M [16][O][tiles] (entries <see cref="EntryStride"/> apart), and four phase planes (of the
        /// input, then of the output).
        /// </summary>
        public nint ScratchLength => (Entries * (EntryStride(Geometry.Channels, ChunkWidth) + EntryStride(OutChannels, ChunkWidth))) + (4 * PhaseLength);

        /// <summary>Chunk <paramref name="index"/>: its images and tile rows, and its width.</summary>
        public Chunk ChunkAt(int index)
        {
            bool grouped = ImagesPerChunk > 1;
            int first = grouped ? index * ImagesPerChunk : index / BandsPerImage;
            int images = grouped ? Math.Min(ImagesPerChunk, Geometry.Batch - first) : 1;
            int firstRow = grouped ? 0 : index % BandsPerImage * RowsPerChunk;
            int rows = Math.Min(RowsPerChunk, TileRows - firstRow);
            return new Chunk(first, images, firstRow, rows, rows * RowTiles, Width(images, rows * RowTiles));
        }
    }

    /// <summary>
    /// Images [First, First + Images), tile rows [FirstRow, FirstRow + Rows) of each: image i's Tiles tiles are columns
    /// [i·Tiles, (i + 1)·Tiles) of the chunk's Width.
    /// </summary>
    private readonly record struct Chunk(int First, int Images, int FirstRow, int Rows, int Tiles, int Width);

    /// <summary>Chunks [start, end) of the plan: per chunk, the input transform, the 16 products and the output transform.</summary>
    private readonly struct Chunks<T>(Plan plan, T* image, T* transformed, T* bias, T* output, T* scratch) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end, int range)
        {
            var g = plan.Geometry;
            int phase = plan.PhaseLength;
            nint planeSize = (nint)g.OutHeight * g.OutWidth;
            T* v = scratch + ((nint)range * plan.ScratchLength);
            T* m = v + (Entries * plan.EntryStride(g.Channels, plan.ChunkWidth));
            T* phases = m + (Entries * plan.EntryStride(plan.OutChannels, plan.ChunkWidth));
            for (int index = start; index < end; index++)
            {
                var chunk = plan.ChunkAt(index);
                int width = chunk.Width, tiles = chunk.Tiles;
                nint vStride = plan.EntryStride(g.Channels, width), mStride = plan.EntryStride(plan.OutChannels, width);
                TransformPlanes(plan, chunk, image, outputGradient: false, v, phases);
                for (int e = 0; e < Entries; e++)
                {
                    Gemm.Multiply(
                        new ReadOnlySpan<T>(transformed + ((nint)e * plan.OutChannels * g.Channels), plan.OutChannels * g.Channels), false,
                        new ReadOnlySpan<T>(v + (e * vStride), g.Channels * width), false,
                        new Span<T>(m + (e * mStride), plan.OutChannels * width),
                        plan.OutChannels, width, g.Channels);
                }
                for (int i = 0; i < chunk.Images; i++)
                {
                    T* y = output + ((chunk.First + i) * plan.OutChannels * planeSize);
                    for (int o = 0; o < plan.OutChannels; o++)
                    {
                        TransformOutput(m + ((nint)o * width) + (i * tiles), mStride, tiles, phases, phase);
                        StoreOutput(phases, phase, bias is null ? T.Zero : bias[o], g, chunk.FirstRow, chunk.Rows, plan.RowTiles, y + (o * planeSize));
                    }
                }
            }
        }
    }

    /// <summary>Parts [start, end) of <see cref="WeightGradient{T}"/>: part p sums its chunks into its own ∂L/∂U, at p·16·O·C.</summary>
    private readonly struct WeightGradientParts<T>(Plan plan, int parts, T* image, T* outputGradient, T* sums, T* scratch) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end, int range)
        {
            var g = plan.Geometry;
            int outChannels = plan.OutChannels;
            nint sumLength = (nint)Entries * outChannels * g.Channels;
            T* v = scratch + ((nint)range * plan.ScratchLength);
            T* m = v + (Entries * plan.EntryStride(g.Channels, plan.ChunkWidth));
            T* phases = m + (Entries * plan.EntryStride(outChannels, plan.ChunkWidth));
            for (int part = start; part < end; part++)
            {
                T* sum = sums + (part * sumLength);
                var (first, last) = PartialSums.Pieces(plan.Chunks, part, parts);
                for (int index = first; index < last; index++)
                {
                    var chunk = plan.ChunkAt(index);
                    int width = chunk.Width;
                    nint vStride = plan.EntryStride(g.Channels, width), mStride = plan.EntryStride(outChannels, width);
                    TransformPlanes(plan, chunk, image, outputGradient: false, v, phases);
                    TransformPlanes(plan, chunk, outputGradient, outputGradient: true, m, phases);
                    for (int e = 0; e < Entries; e++)
                    {
                        // The padding tiles must add nothing to the sums over tiles.
                        ClearPadding(v + (e * vStride), g.Channels, chunk);
                        ClearPadding(m + (e * mStride), outChannels, chunk);
                    }
                    for (int e = 0; e < Entries; e++)
                    {
                        Gemm.Multiply(
                            new ReadOnlySpan<T>(m + (e * mStride), outChannels * width), false,
                            new ReadOnlySpan<T>(v + (e * vStride), g.Channels * width), true,
                            new Span<T>(sum + ((nint)e * outChannels * g.Channels), outChannels * g.Channels),
                            outChannels, g.Channels, width, accumulate: index > first);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Every tile of <paramref name="chunk"/> transformed into <paramref name="destination"/> [16][channels][Width], the
    /// entries <see cref="Plan.EntryStride"/> apart: the input's V = Bᵀ·d·B (C planes of x, padded), or with
    /// <paramref name="outputGradient"/> ∂L/∂M = A·g·Aᵀ (O planes of g).
    /// </summary>
    private static void TransformPlanes<T>(in Plan plan, in Chunk chunk, T* source, bool outputGradient, T* destination, T* phases)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = plan.Geometry;
        var (channels, height, width, top, left, phaseRows) = outputGradient
            ? (plan.OutChannels, g.OutHeight, g.OutWidth, 0, 0, chunk.Rows)
            : (g.Channels, g.Height, g.Width, g.PadTop, g.PadLeft, chunk.Rows + 1);
        nint plane = (nint)height * width, entryStride = plan.EntryStride(channels, chunk.Width);
        for (int i = 0; i < chunk.Images; i++)
        {
            T* planes = source + ((chunk.First + i) * channels * plane);
            for (int c = 0; c < channels; c++)
            {
                LoadPhases(planes + (c * plane), height, width, top, left, chunk.FirstRow, phaseRows, plan.RowTiles, phases, plan.PhaseLength);
                T* target = destination + ((nint)c * chunk.Width) + (i * chunk.Tiles);
                if (outputGradient)
                {
                    TransformOutputGradient(phases, plan.PhaseLength, chunk.Tiles, target, entryStride);
                }
                else
                {
                    TransformInput(phases, plan.PhaseLength, plan.RowTiles, chunk.Tiles, target, entryStride);
                }
            }
        }
    }

    /// <summary>
    /// A·g·Aᵀ for <paramref name="tiles"/> consecutive tiles of one output channel, output (a, b) of tile q being phase
    /// 2a + b at q; entry ξ goes to <paramref name="m"/>[ξ·entryStride + q]. A·g has rows g₀, g₀ + g₁, g₀ − g₁, −g₁
    /// (g's rows), and each row (p₀, p₁) becomes p₀, p₀ + p₁, p₀ − p₁, −p₁ along the columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformOutputGradient<T>(T* phases, int phase, int tiles, T* m, nint entryStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int q = 0; q < tiles; q += Vector<T>.Count)
        {
            Vector<T> g00 = Load(phases, q), g01 = Load(phases + phase, q), g10 = Load(phases + (2 * phase), q), g11 = Load(phases + (3 * phase), q);
            StoreGradientRow(g00, g01, m, q, entryStride, 0);
            StoreGradientRow(g00 + g10, g01 + g11, m, q, entryStride, 4);
            StoreGradientRow(g00 - g10, g01 - g11, m, q, entryStride, 8);
            StoreGradientRow(-g10, -g11, m, q, entryStride, 12);
        }
    }

    /// <summary>One row (p₀, p₁) of A·g, times Aᵀ: entries first … first + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreGradientRow<T>(Vector<T> p0, Vector<T> p1, T* m, int q, nint entryStride, int first)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Store(p0, m + (first * entryStride), q);
        Store(p0 + p1, m + ((first + 1) * entryStride), q);
        Store(p0 - p1, m + ((first + 2) * entryStride), q);
        Store(-p1, m + ((first + 3) * entryStride), q);
    }

    /// <summary>Clears columns [Images·Tiles, Width) of <paramref name="rows"/> rows of <paramref name="chunk"/>'s width.</summary>
    private static void ClearPadding<T>(T* matrix, int rows, in Chunk chunk)
        where T : unmanaged
    {
        int used = chunk.Images * chunk.Tiles;
        for (int r = 0; r < rows; r++)
        {
            new Span<T>(matrix + ((nint)r * chunk.Width) + used, chunk.Width - used).Clear();
        }
    }

    /// <summary>∂L/∂W[o, c] = Gᵀ·∂L/∂U[o, c]·G for every channel pair, from ∂L/∂U [16][O][C].</summary>
    private static void TransformWeightGradient<T>(ReadOnlySpan<T> transformed, int outChannels, int channels, Span<T> weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        int plane = outChannels * channels;
        Span<T> rows = stackalloc T[12];
        for (int at = 0; at < plane; at++)
        {
            // Gᵀ·dU: 3 rows of 4.
            for (int j = 0; j < 4; j++)
            {
                T u0 = transformed[(j * plane) + at], u1 = transformed[((4 + j) * plane) + at];
                T u2 = transformed[((8 + j) * plane) + at], u3 = transformed[((12 + j) * plane) + at];
                rows[j] = u0 + ((u1 + u2) * half);
                rows[4 + j] = (u1 - u2) * half;
                rows[8 + j] = ((u1 + u2) * half) + u3;
            }
            // (Gᵀ·dU)·G: 3 columns per row.
            var target = weightGradient.Slice(at * 9, 9);
            for (int i = 0; i < 3; i++)
            {
                T a = rows[4 * i], b = rows[(4 * i) + 1], e = rows[(4 * i) + 2], d = rows[(4 * i) + 3];
                target[3 * i] = a + ((b + e) * half);
                target[(3 * i) + 1] = (b - e) * half;
                target[(3 * i) + 2] = ((b + e) * half) + d;
            }
        }
    }

    /// <summary>
    /// Splits the rows a band of tile rows reads from <paramref name="plane"/> (<paramref name="height"/> ×
    /// <paramref name="width"/>) into four phase planes by row and column parity: phase (a, b) row r, column t holds the
    /// plane at (2·(firstRow + r) + a − top, 2t + b − left), zero outside. Each has <paramref name="phaseRows"/> rows of
    /// <paramref name="rowTiles"/> entries.
    /// </summary>
    private static void LoadPhases<T>(T* plane, int height, int width, int top, int left, int firstRow, int phaseRows, int rowTiles, T* phases, int phase)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int a = 0; a < 2; a++)
        {
            T* even = phases + ((nint)(2 * a) * phase);
            T* odd = even + phase;
            for (int r = 0; r < phaseRows; r++)
            {
                int y = (2 * (firstRow + r)) + a - top;
                T* evenRow = even + ((nint)r * rowTiles);
                T* oddRow = odd + ((nint)r * rowTiles);
                if ((uint)y >= (uint)height)
                {
                    new Span<T>(evenRow, rowTiles).Clear();
                    new Span<T>(oddRow, rowTiles).Clear();
                    continue;
                }
                T* source = plane + ((nint)y * width);
                // Pairs wholly inside the row, [inside, beyond), are split without checks; those at the edges one by one.
                int inside = Math.Min((left + 1) / 2, rowTiles), beyond = Math.Clamp((width + left) / 2, inside, rowTiles);
                Deinterleave(source + ((2 * inside) - left), beyond - inside, evenRow + inside, oddRow + inside);
                for (int t = 0; t < inside; t++)
                {
                    SplitEdge(source, width, (2 * t) - left, evenRow + t, oddRow + t);
                }
                for (int t = beyond; t < rowTiles; t++)
                {
                    SplitEdge(source, width, (2 * t) - left, evenRow + t, oddRow + t);
                }
            }
        }
    }

    /// <summary>The pair at <paramref name="column"/> and the next, each zero outside [0, <paramref name="width"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SplitEdge<T>(T* source, int width, int column, T* even, T* odd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        *even = (uint)column < (uint)width ? source[column] : T.Zero;
        *odd = (uint)(column + 1) < (uint)width ? source[column + 1] : T.Zero;
    }

    /// <summary>
    /// even[t] = source[2t], odd[t] = source[2t + 1] for t &lt; <paramref name="pairs"/>: 256-bit vectors where AVX2 runs,
    /// then 128-bit ones for what is left of the row (the 6 inner pairs of a 14-wide row had gone one by one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Deinterleave<T>(T* source, int pairs, T* even, T* odd)
        where T : unmanaged
    {
        int t = 0;
        if (Avx2.IsSupported && typeof(T) == typeof(float))
        {
            for (; t <= pairs - 8; t += 8)
            {
                // Per 128-bit lane, the even (odd) elements of both loads, then the 64-bit quarters reordered 0, 2, 1, 3.
                Vector256<float> low = Avx.LoadVector256((float*)source + (2 * t)), high = Avx.LoadVector256((float*)source + (2 * t) + 8);
                Avx.Store((float*)even + t, Avx2.Permute4x64(Avx.Shuffle(low, high, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle());
                Avx.Store((float*)odd + t, Avx2.Permute4x64(Avx.Shuffle(low, high, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle());
            }
        }
        else if (Avx2.IsSupported && typeof(T) == typeof(double))
        {
            for (; t <= pairs - 4; t += 4)
            {
                Vector256<double> low = Avx.LoadVector256((double*)source + (2 * t)), high = Avx.LoadVector256((double*)source + (2 * t) + 4);
                Avx.Store((double*)even + t, Avx2.Permute4x64(Avx.UnpackLow(low, high), 0b11_01_10_00));
                Avx.Store((double*)odd + t, Avx2.Permute4x64(Avx.UnpackHigh(low, high), 0b11_01_10_00));
            }
        }
        if (Sse.IsSupported && typeof(T) == typeof(float))
        {
            for (; t <= pairs - 4; t += 4)
            {
                Vector128<float> low = Sse.LoadVector128((float*)source + (2 * t)), high = Sse.LoadVector128((float*)source + (2 * t) + 4);
                Sse.Store((float*)even + t, Sse.Shuffle(low, high, 0b10_00_10_00));
                Sse.Store((float*)odd + t, Sse.Shuffle(low, high, 0b11_01_11_01));
            }
        }
        else if (Sse2.IsSupported && typeof(T) == typeof(double))
        {
            for (; t <= pairs - 2; t += 2)
            {
                Vector128<double> low = Sse2.LoadVector128((double*)source + (2 * t)), high = Sse2.LoadVector128((double*)source + (2 * t) + 2);
                Sse2.Store((double*)even + t, Sse2.UnpackLow(low, high));
                Sse2.Store((double*)odd + t, Sse2.UnpackHigh(low, high));
            }
        }
        for (; t < pairs; t++)
        {
            even[t] = source[2 * t];
            odd[t] = source[(2 * t) + 1];
        }
    }

    /// <summary>
    /// V = Bᵀ·d·B for <paramref name="tiles"/> consecutive tiles of one channel, tile q's patch entry (i, j) being phase
    /// (i mod 2, j mod 2) at q + ⌊i/2⌋·rowTiles + ⌊j/2⌋; entry ξ goes to <paramref name="v"/>[ξ·entryStride + q].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInput<T>(T* phases, int phase, int rowTiles, int tiles, T* v, nint entryStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* p00 = phases, p01 = phases + phase, p10 = phases + (2 * phase), p11 = phases + (3 * phase);
        for (int q = 0; q < tiles; q += Vector<T>.Count)
        {
            int below = q + rowTiles;
            // Patch rows i = 0…3 of columns j = 0…3 (phases by parity), then Bᵀ down the columns.
            Vector<T> d00 = Load(p00, q), d01 = Load(p01, q), d02 = Load(p00, q + 1), d03 = Load(p01, q + 1);
            Vector<T> d10 = Load(p10, q), d11 = Load(p11, q), d12 = Load(p10, q + 1), d13 = Load(p11, q + 1);
            Vector<T> d20 = Load(p00, below), d21 = Load(p01, below), d22 = Load(p00, below + 1), d23 = Load(p01, below + 1);
            Vector<T> d30 = Load(p10, below), d31 = Load(p11, below), d32 = Load(p10, below + 1), d33 = Load(p11, below + 1);
            StoreRow(d00 - d20, d01 - d21, d02 - d22, d03 - d23, v, q, entryStride, 0);
            StoreRow(d10 + d20, d11 + d21, d12 + d22, d13 + d23, v, q, entryStride, 4);
            StoreRow(d20 - d10, d21 - d11, d22 - d12, d23 - d13, v, q, entryStride, 8);
            StoreRow(d10 - d30, d11 - d31, d12 - d32, d13 - d33, v, q, entryStride, 12);
        }
    }

    /// <summary>One row t of Bᵀ·d, times B: entries first … first + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(Vector<T> t0, Vector<T> t1, Vector<T> t2, Vector<T> t3, T* v, int q, nint entryStride, int first)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Store(t0 - t2, v + (first * entryStride), q);
        Store(t1 + t2, v + ((first + 1) * entryStride), q);
        Store(t2 - t1, v + ((first + 2) * entryStride), q);
        Store(t1 - t3, v + ((first + 3) * entryStride), q);
    }

    /// <summary>
    /// The four outputs Aᵀ·M·A of <paramref name="tiles"/> consecutive tiles of one output channel (entry ξ of tile q at
    /// <paramref name="m"/>[ξ·entryStride + q]) into four phase planes: output (a, b) of tile q at phase 2a + b, q.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformOutput<T>(T* m, nint entryStride, int tiles, T* phases, int phase)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int q = 0; q < tiles; q += Vector<T>.Count)
        {
            // Aᵀ down each column j of M: top = m0j + m1j + m2j, bottom = m1j − m2j − m3j; then A along the rows.
            var (top0, bottom0) = ColumnOf(m, entryStride, q, 0);
            var (top1, bottom1) = ColumnOf(m, entryStride, q, 1);
            var (top2, bottom2) = ColumnOf(m, entryStride, q, 2);
            var (top3, bottom3) = ColumnOf(m, entryStride, q, 3);
            Store(top0 + top1 + top2, phases, q);
            Store(top1 - top2 - top3, phases + phase, q);
            Store(bottom0 + bottom1 + bottom2, phases + (2 * phase), q);
            Store(bottom1 - bottom2 - bottom3, phases + (3 * phase), q);
        }
    }

    /// <summary>Column <paramref name="j"/> of Aᵀ·M.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<T> Top, Vector<T> Bottom) ColumnOf<T>(T* m, nint entryStride, int q, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> m0 = Load(m + (j * entryStride), q), m1 = Load(m + ((4 + j) * entryStride), q);
        Vector<T> m2 = Load(m + ((8 + j) * entryStride), q), m3 = Load(m + ((12 + j) * entryStride), q);
        return (m0 + m1 + m2, m1 - m2 - m3);
    }

    /// <summary>Interleaves the four output phases of a band of tile rows into the output plane, adding the bias and dropping what falls outside.</summary>
    private static void StoreOutput<T>(T* phases, int phase, T bias, in ConvGeometry g, int firstRow, int rows, int rowTiles, T* plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outWidth = g.OutWidth;
        for (int r = 0; r < rows; r++)
        {
            for (int a = 0; a < 2; a++)
            {
                int y = (2 * (firstRow + r)) + a;
                if (y >= g.OutHeight)
                {
                    break;
                }
                T* even = phases + ((nint)(2 * a) * phase) + ((nint)r * rowTiles);
                T* odd = even + phase;
                T* target = plane + ((nint)y * outWidth);
                int x = 2 * Interleave(even, odd, outWidth / 2, bias, target);
                for (int t = x / 2; x + 1 < outWidth; t++, x += 2)
                {
                    target[x] = even[t] + bias;
                    target[x + 1] = odd[t] + bias;
                }
                if (x < outWidth)
                {
                    target[x] = even[x / 2] + bias;
                }
            }
        }
    }

    /// <summary>
    /// target[2t] = even[t] + bias and target[2t + 1] = odd[t] + bias for the first pairs of <paramref name="pairs"/>
    /// that fill whole 256-bit and then 128-bit vectors of float (the caller does the rest one by one); returns how
    /// many pairs it wrote.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Interleave<T>(T* even, T* odd, int pairs, T bias, T* target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !Avx.IsSupported)
        {
            return 0;
        }
        float* e = (float*)even, o = (float*)odd, d = (float*)target;
        float b = Unsafe.As<T, float>(ref bias);
        int t = 0;
        var wide = Vector256.Create(b);
        for (; t <= pairs - 8; t += 8)
        {
            // Per 128-bit lane the pairs of four outputs, then the lanes put in order.
            Vector256<float> ev = Avx.Add(Avx.LoadVector256(e + t), wide), od = Avx.Add(Avx.LoadVector256(o + t), wide);
            Vector256<float> low = Avx.UnpackLow(ev, od), high = Avx.UnpackHigh(ev, od);
            Avx.Store(d + (2 * t), Avx.Permute2x128(low, high, 0x20));
            Avx.Store(d + (2 * t) + 8, Avx.Permute2x128(low, high, 0x31));
        }
        var narrow = Vector128.Create(b);
        for (; t <= pairs - 4; t += 4)
        {
            Vector128<float> ev = Sse.Add(Sse.LoadVector128(e + t), narrow), od = Sse.Add(Sse.LoadVector128(o + t), narrow);
            Sse.Store(d + (2 * t), Sse.UnpackLow(ev, od));
            Sse.Store(d + (2 * t) + 4, Sse.UnpackHigh(ev, od));
        }
        return t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(T* source, int at)
        where T : unmanaged =>
        Unsafe.ReadUnaligned<Vector<T>>(source + at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector<T> value, T* destination, int at)
        where T : unmanaged =>
        Unsafe.WriteUnaligned(destination + at, value);
}
