using System.Numerics;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels;

/// <summary>
/// Max pooling over NCHW images: each window's maximum and the tap that holds it, and the two linear maps that the
/// taps define: reading the image at each window's tap (gather) and adding a value per window back there (scatter).
/// </summary>
/// <remarks>
/// <para>
/// A window (n, c, oh, ow) has taps t = i·kw + j over i &lt; kh, j &lt; kw, reading x[n, c, oh·sh − pTop + i·dh,
/// ow·sw − pLeft + j·dw]; taps outside the image are skipped (padding never wins, as with PyTorch's −∞ padding).
/// The arg-max tap is the first maximal tap in row-major window order (the first NaN if the window holds one), which
/// is PyTorch's rule. Taps are stored in the element type T (exact: a window has far fewer than 2²⁴ taps), so they
/// live in an ordinary tensor buffer.
/// </para>
/// <para>
/// gather(x)[w] = x[tapPosition(w)], scatter(u)[p] = Σ_{w : tapPosition(w) = p} u[w]; so ⟨u, gather(x)⟩ = ⟨scatter(u), x⟩.
/// Every image plane is independent of the others, so the planes are split among the cores when the work is large.
/// </para>
/// <para>
/// When every window lies wholly inside the image (no padding reached), the forward pass takes several windows at once
/// with AVX2 gathers, or, for windows two columns wide at a column stride of 2, with plain loads split into even and odd
/// columns (whole vectors, overlapping or reaching into the next row, wherever that is harmless): the same
/// comparisons, lane by lane, pick the same taps, so the results are those of the one-window loop. A per-window loop
/// would branch on each tap's comparison, which random data mispredicts half the time.
/// </para>
/// </remarks>
internal static unsafe class MaxPoolKernels
{
    /// <summary>Window taps per range of planes below which another thread costs more than it saves.</summary>
    private const long ParallelTaps = 1 << 16;

    /// <summary>Tables (tap offsets, window corners) of up to this many entries live on the stack; larger ones are rented.</summary>
    private const int StackEntries = 1024;

    /// <summary>The 64-bit chunk order 0, 2, 1, 3 (<see cref="Avx2.Permute4x64(Vector256{double}, byte)"/>).</summary>
    private const byte ChunksInOrder = 0b11_01_10_00;

    /// <summary>
    /// Writes each window's maximum into <paramref name="output"/> ([N, C, OH, OW]) and, unless <paramref name="taps"/>
    /// is empty, its arg-max tap. Every window must hold at least one tap inside the image. A deferred image (such as a
    /// ReLU's output) is made a few planes at a time in cache as the windows need it (<see cref="DeferredChunks{T}"/>),
    /// and stays deferred.
    /// </summary>
    public static void Forward<T>(in ConvGeometry g, Tensor<T> image, Span<T> output, Span<T> taps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var chunks = DeferredChunks<T>.Of(image, g.Height * g.Width, Ranges(g));
        fixed (T* imagePointer = chunks is null ? image.Data : default, outputPointer = output, tapPointer = taps)
        {
            if (InPairs<T>(g))
            {
                Run<T, ArgMaxOfPairs<T>>(g, imagePointer, outputPointer, tapPointer, chunks);
            }
            else if (Vectorized<T>(g))
            {
                Run<T, ArgMaxGathered<T>>(g, imagePointer, outputPointer, tapPointer, chunks);
            }
            else
            {
                Run<T, EachWindow<T, ArgMax<T>>>(g, imagePointer, outputPointer, tapPointer, chunks);
            }
        }
    }

    /// <summary>output[w] = image[tapPosition(w)] for every window w.</summary>
    public static void Gather<T>(in ConvGeometry g, ReadOnlySpan<T> taps, ReadOnlySpan<T> image, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* imagePointer = image, outputPointer = output, tapPointer = taps)
        {
            Run<T, EachWindow<T, GatherAtTap<T>>>(g, imagePointer, outputPointer, tapPointer);
        }
    }

    /// <summary>
    /// image = 0, then image[tapPosition(w)] += values[w] for every window w; each plane is cleared by the thread that
    /// then scatters into it, so the clearing is split over the cores with the scatter. Windows that tile the image
    /// store each element once instead (<see cref="StoreRow{T}"/>).
    /// </summary>
    public static void Scatter<T>(in ConvGeometry g, ReadOnlySpan<T> taps, ReadOnlySpan<T> values, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* imagePointer = image, valuePointer = values, tapPointer = taps)
        {
            if (InPairs<T>(g) && Tiled(g))
            {
                Run<T, ScatterPairs<T, StoreRow<T>>>(g, imagePointer, valuePointer, tapPointer);
            }
            else if (InPairs<T>(g))
            {
                Run<T, Cleared<T, ScatterPairs<T, AddIntoRow<T>>>>(g, imagePointer, valuePointer, tapPointer);
            }
            else
            {
                Run<T, Cleared<T, EachWindow<T, AddAtTap<T>>>>(g, imagePointer, valuePointer, tapPointer);
            }
        }
    }

    /// <summary>
    /// Whether the windows tile the image exactly, each element in one window and none left over (stride = kernel size,
    /// no dilation, the image as tall and wide as the windows' rows and columns): the 2×2 pooling of most networks.
    /// </summary>
    private static bool Tiled(in ConvGeometry g) =>
        g.StrideHeight == g.KernelHeight && g.DilationHeight == 1 && g.OutHeight * g.KernelHeight == g.Height
        && g.StrideWidth == g.KernelWidth && g.DilationWidth == 1 && g.OutWidth * g.KernelWidth == g.Width;

    /// <summary>Whether the windows go several at a time through AVX2: float or double, and no window reaches into the padding.</summary>
    private static bool Vectorized<T>(in ConvGeometry g)
        where T : unmanaged =>
        Avx2.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && EveryWindowInside(g);

    /// <summary>
    /// Whether, besides, the windows are two adjacent columns wide at a column stride of 2 (the usual 2×2 pooling): then a
    /// vector of windows reads two vectors of each of its image rows, whose even and odd elements are the windows' taps
    /// (i, 0) and (i, 1). A row's windows go a vector at a time, whole vectors wherever they can (<see cref="VectorAt"/>),
    /// else through masked loads and stores of just the row's last windows. 2×2 pooling of [128, 64, 14, 14] floats took
    /// 2.3 ms through gathers, 0.5 ms in pairs (one thread, Zen 4); the CNN step of the peer benchmark gained 3.4% on one
    /// thread, 3.1% on two.
    /// </summary>
    private static bool InPairs<T>(in ConvGeometry g)
        where T : unmanaged =>
        Vectorized<T>(g) && g.KernelWidth == 2 && g.StrideWidth == 2 && g.DilationWidth == 1;

    /// <summary>Whether no window reaches into the padding.</summary>
    private static bool EveryWindowInside(in ConvGeometry g) =>
        g.PadTop == 0 && g.PadLeft == 0
        && (g.OutHeight - 1) * g.StrideHeight + (g.KernelHeight - 1) * g.DilationHeight < g.Height
        && (g.OutWidth - 1) * g.StrideWidth + (g.KernelWidth - 1) * g.DilationWidth < g.Width;

    /// <summary>How many ranges the planes are split into over the cores: by their window taps.</summary>
    private static int Ranges(in ConvGeometry g)
    {
        int planes = g.Batch * g.Channels;
        return ParallelRanges.Worth((long)planes * g.OutHeight * g.OutWidth * g.KernelHeight * g.KernelWidth, ParallelTaps, planes);
    }

    /// <summary>
    /// Visits every plane, the planes split into ranges over the cores (<see cref="ParallelRanges"/>) when there are enough
    /// taps (<see cref="Ranges"/>). Planes never share an image element, so the split changes no result. The image's
    /// planes are read from <paramref name="chunks"/> when they are made there, else at <paramref name="image"/>.
    /// </summary>
    private static void Run<T, TVisit>(in ConvGeometry g, T* image, T* windows, T* taps, DeferredChunks<T>? chunks = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVisit : IPlaneVisit<T>
    {
        int tapCount = g.KernelHeight * g.KernelWidth, windowCount = g.OutHeight * g.OutWidth;
        int[]? rented = tapCount + windowCount > StackEntries ? ArrayPool<int>.Shared.Rent(tapCount + windowCount) : null;
        Span<int> table = rented ?? stackalloc int[tapCount + windowCount];
        try
        {
            // Tap t of a window lies offsets[t] elements after its top-left tap, which lies corners[w] into the plane.
            var offsets = table[..tapCount];
            var corners = table.Slice(tapCount, windowCount);
            for (int t = 0; t < tapCount; t++)
            {
                offsets[t] = t / g.KernelWidth * g.DilationHeight * g.Width + t % g.KernelWidth * g.DilationWidth;
            }
            for (int w = 0; w < windowCount; w++)
            {
                corners[w] = (w / g.OutWidth * g.StrideHeight - g.PadTop) * g.Width + w % g.OutWidth * g.StrideWidth - g.PadLeft;
            }
            fixed (int* offsetPointer = offsets, cornerPointer = corners)
            {
                var job = new Job<T>(g, image, windows, taps, offsetPointer, cornerPointer);
                ParallelRanges.Run(new Planes<T, TVisit>(job, chunks), g.Batch * g.Channels, Ranges(g), quantum: 1);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The planes [start, end) of one job; with <paramref name="chunks"/>, each chunk of planes made in cache first.</summary>
    private readonly struct Planes<T, TVisit>(Job<T> job, DeferredChunks<T>? chunks) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVisit : IPlaneVisit<T>
    {
        public void Run(int start, int end, int range)
        {
            if (chunks is null)
            {
                Visit(job, start, end);
                return;
            }
            for (int first = start; first < end; first += chunks.UnitsPerChunk)
            {
                int last = Math.Min(end, first + chunks.UnitsPerChunk);
                Visit(job.Reading(chunks.Make(first, last, range)), first, last);
            }
        }

        private static void Visit(in Job<T> job, int start, int end)
        {
            for (int plane = start; plane < end; plane++)
            {
                TVisit.Visit(job, plane);
            }
        }
    }

    /// <summary>What is done to one image plane and its windows.</summary>
    /// <remarks>
    /// The visits that walk a plane are never inlined: inlined into the loop over a range's planes (itself inlined into
    /// <see cref="ParallelRanges"/>' range), the JIT ran out of inlining budget and called the vector helpers
    /// (<see cref="Consider{T}"/>, <see cref="Deinterleave{T}"/>, the stores) at every vector of windows, passing the
    /// vectors through memory. A call per plane costs nothing beside its hundreds of windows.
    /// </remarks>
    private interface IPlaneVisit<T>
        where T : unmanaged
    {
        static abstract void Visit(in Job<T> job, int plane);
    }

    /// <summary>Clears the image plane, then visits it with <typeparamref name="TVisit"/>.</summary>
    private readonly struct Cleared<T, TVisit> : IPlaneVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVisit : IPlaneVisit<T>
    {
        public static void Visit(in Job<T> job, int plane)
        {
            new Span<T>(job.PlaneOf(plane), job.Geometry.Height * job.Geometry.Width).Clear();
            TVisit.Visit(job, plane);
        }
    }

    /// <summary>A plane's windows one at a time, each through <typeparamref name="TVisit"/>.</summary>
    private readonly struct EachWindow<T, TVisit> : IPlaneVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVisit : IWindowVisit<T>
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Visit(in Job<T> job, int plane)
        {
            var g = job.Geometry;
            int outHeight = g.OutHeight, outWidth = g.OutWidth;
            int lastRow = (g.KernelHeight - 1) * g.DilationHeight, lastColumn = (g.KernelWidth - 1) * g.DilationWidth;
            T* image = job.PlaneOf(plane);
            long window = (long)plane * outHeight * outWidth;
            for (int oh = 0; oh < outHeight; oh++)
            {
                int top = oh * g.StrideHeight - g.PadTop;
                bool rowInside = top >= 0 && top + lastRow < g.Height;
                for (int ow = 0; ow < outWidth; ow++, window++)
                {
                    int left = ow * g.StrideWidth - g.PadLeft;
                    bool inside = rowInside && left >= 0 && left + lastColumn < g.Width;
                    TVisit.Visit(g, job.Offsets, image, top, left, inside, job.Windows + window, job.Taps == null ? null : job.Taps + window);
                }
            }
        }
    }

    /// <summary>
    /// What is done at one window, whose top-left tap sits at (top, left) of its image plane (possibly in the padding);
    /// tap t lies <c>offsets[t]</c> elements after it, and <c>inside</c> says the whole window is in the image.
    /// </summary>
    private interface IWindowVisit<T>
        where T : unmanaged
    {
        static abstract void Visit(in ConvGeometry g, int* offsets, T* image, int top, int left, bool inside, T* window, T* tap);
    }

    /// <summary>The window's maximum and, when taps are kept, its first maximal tap in row-major order (the first NaN wins).</summary>
    private readonly struct ArgMax<T> : IWindowVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Visit(in ConvGeometry g, int* offsets, T* image, int top, int left, bool inside, T* window, T* tap)
        {
            T best = T.NegativeInfinity;
            int bestTap = -1;
            if (inside)
            {
                T* corner = image + top * g.Width + left;
                for (int t = 0, count = g.KernelHeight * g.KernelWidth; t < count; t++)
                {
                    Consider(corner[offsets[t]], t, ref best, ref bestTap);
                }
            }
            else
            {
                for (int i = 0; i < g.KernelHeight; i++)
                {
                    int ih = top + i * g.DilationHeight;
                    if ((uint)ih >= (uint)g.Height)
                    {
                        continue;
                    }
                    T* row = image + ih * g.Width;
                    for (int j = 0; j < g.KernelWidth; j++)
                    {
                        int iw = left + j * g.DilationWidth;
                        if ((uint)iw < (uint)g.Width)
                        {
                            Consider(row[iw], i * g.KernelWidth + j, ref best, ref bestTap);
                        }
                    }
                }
            }
            *window = best;
            if (tap != null)
            {
                *tap = T.CreateTruncating(bestTap);
            }
        }

        /// <summary>Takes tap <paramref name="t"/> when larger, or the first tap, or the first NaN.</summary>
        private static void Consider(T value, int t, ref T best, ref int bestTap)
        {
            if ((value > best) | (bestTap < 0) | (T.IsNaN(value) & !T.IsNaN(best)))
            {
                (best, bestTap) = (value, t);
            }
        }
    }

    /// <summary>
    /// <see cref="ArgMax{T}"/> for a plane whose windows all lie inside the image, a vector of windows at a time: each tap
    /// is gathered for all of them, and each lane takes it under <see cref="ArgMax{T}"/>'s rule by masks, not branches.
    /// The last few windows go through <see cref="ArgMax{T}"/> itself.
    /// </summary>
    private readonly struct ArgMaxGathered<T> : IPlaneVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Visit(in Job<T> job, int plane)
        {
            var g = job.Geometry;
            int windows = g.OutHeight * g.OutWidth, tapCount = g.KernelHeight * g.KernelWidth, lanes = Vector256<T>.Count;
            T* image = job.PlaneOf(plane);
            T* output = job.Windows + (long)plane * windows;
            T* taps = job.Taps == null ? null : job.Taps + (long)plane * windows;
            int w = 0;
            for (; w <= windows - lanes; w += lanes)
            {
                var best = GatherAt(image, job.Corners + w, job.Offsets[0]);
                var bestTap = Vector256<T>.Zero;
                for (int t = 1; t < tapCount; t++)
                {
                    Consider(GatherAt(image, job.Corners + w, job.Offsets[t]), t, ref best, ref bestTap);
                }
                best.Store(output + w);
                if (taps != null)
                {
                    bestTap.Store(taps + w);
                }
            }
            for (; w < windows; w++)
            {
                ArgMax<T>.Visit(g, job.Offsets, image, 0, job.Corners[w], inside: true, output + w, taps == null ? null : taps + w);
            }
        }

        /// <summary>The plane's elements at <c>corners[0 … lanes − 1] + offset</c>.</summary>
        private static Vector256<T> GatherAt(T* plane, int* corners, int offset) =>
            typeof(T) == typeof(float)
                ? Avx2.GatherVector256((float*)plane, Vector256.Load(corners) + Vector256.Create(offset), sizeof(float)).As<float, T>()
                : Avx2.GatherVector256((double*)plane, Vector128.Load(corners) + Vector128.Create(offset), sizeof(double)).As<double, T>();
    }

    /// <summary>
    /// Lane by lane, <see cref="ArgMax{T}"/>'s rule: takes tap <paramref name="t"/> where it is larger, or the first NaN.
    /// That is, where best is a number and value is not at most best (unordered: larger, or NaN): two comparisons.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Consider<T>(Vector256<T> value, int t, ref Vector256<T> best, ref Vector256<T> bestTap)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var take = typeof(T) == typeof(float)
            ? (Avx.CompareNotLessThanOrEqual(value.AsSingle(), best.AsSingle()) & Avx.CompareOrdered(best.AsSingle(), best.AsSingle())).As<float, T>()
            : (Avx.CompareNotLessThanOrEqual(value.AsDouble(), best.AsDouble()) & Avx.CompareOrdered(best.AsDouble(), best.AsDouble())).As<double, T>();
        best = Vector256.ConditionalSelect(take, value, best);
        bestTap = Vector256.ConditionalSelect(take, Vector256.Create(T.CreateTruncating(t)), bestTap);
    }

    /// <summary>
    /// <see cref="ArgMax{T}"/> for the windows of <see cref="InPairs{T}"/>, a vector of windows at a time, with no gather;
    /// the taps are compared in the same order and under the same rule as <see cref="ArgMaxGathered{T}"/>. The windows
    /// sit in the vectors in <see cref="Deinterleave"/>'s order until they are stored.
    /// </summary>
    private readonly struct ArgMaxOfPairs<T> : IPlaneVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Visit(in Job<T> job, int plane)
        {
            var g = job.Geometry;
            int outHeight = g.OutHeight, outWidth = g.OutWidth;
            T* image = job.PlaneOf(plane);
            for (int oh = 0; oh < outHeight; oh++)
            {
                long first = ((long)plane * outHeight + oh) * outWidth;
                for (int next = 0; next < outWidth; next += Vector256<T>.Count)
                {
                    var (ow, windows) = VectorAt<T>(g, outHeight, outWidth, oh, next, overwrites: true);
                    var (best, odd) = Deinterleave(PairRow(image, g, oh, 0, ow), windows);
                    var bestTap = Vector256<T>.Zero;
                    Consider(odd, 1, ref best, ref bestTap);
                    for (int i = 1; i < g.KernelHeight; i++)
                    {
                        var (even, nextOdd) = Deinterleave(PairRow(image, g, oh, i, ow), windows);
                        Consider(even, 2 * i, ref best, ref bestTap);
                        Consider(nextOdd, 2 * i + 1, ref best, ref bestTap);
                    }
                    Store(SwapMiddleChunks(best), job.Windows + first + ow, windows);
                    if (job.Taps != null)
                    {
                        Store(SwapMiddleChunks(bestTap), job.Taps + first + ow, windows);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The scatter for the windows of <see cref="InPairs{T}"/>, a vector of windows at a time: for each tap row i, each
    /// window's value put back at the column of its tap if its tap lies in that row (0 at the other column), written into
    /// the image row by <typeparamref name="TWrite"/>. Windows of one output row never share an image element. Vectors
    /// overlap, or reach past a row, only where <typeparamref name="TWrite"/> overwrites (<see cref="VectorAt"/>).
    /// </summary>
    private readonly struct ScatterPairs<T, TWrite> : IPlaneVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWrite : IPairRowWrite<T>
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Visit(in Job<T> job, int plane)
        {
            var g = job.Geometry;
            int outHeight = g.OutHeight, outWidth = g.OutWidth;
            T* image = job.PlaneOf(plane);
            for (int oh = 0; oh < outHeight; oh++)
            {
                long first = ((long)plane * outHeight + oh) * outWidth;
                for (int next = 0; next < outWidth; next += Vector256<T>.Count)
                {
                    var (ow, windows) = VectorAt<T>(g, outHeight, outWidth, oh, next, TWrite.Overwrites);
                    var value = SwapMiddleChunks(Load(job.Windows + first + ow, windows));
                    var tap = SwapMiddleChunks(Load(job.Taps + first + ow, windows));
                    for (int i = 0; i < g.KernelHeight; i++)
                    {
                        var (low, high) = AtTapRow(value, tap, i);
                        TWrite.Write(PairRow(image, g, oh, i, ow), low, high, windows);
                    }
                }
            }
        }
    }

    /// <summary>How <see cref="ScatterPairs{T, TWrite}"/> writes the 2·windows elements of an image row (low, then high).</summary>
    private interface IPairRowWrite<T>
        where T : unmanaged
    {
        /// <summary>Whether the row's elements are stored as they are (writing one twice is harmless), not added into.</summary>
        static abstract bool Overwrites { get; }

        static abstract void Write(T* row, Vector256<T> low, Vector256<T> high, int windows);
    }

    /// <summary>Adds into the row, for windows that leave elements out or overlap rows (into a cleared plane, <see cref="Cleared{T, TVisit}"/>).</summary>
    private readonly struct AddIntoRow<T> : IPairRowWrite<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static bool Overwrites => false;

        public static void Write(T* row, Vector256<T> low, Vector256<T> high, int windows) =>
            StorePairs(row, Load(row, windows, 0) + low, Load(row, windows, 1) + high, windows);
    }

    /// <summary>
    /// Stores the row as it is, for windows that tile the plane (<see cref="Tiled"/>): every element is its window's value
    /// where the window's tap is, else 0, so the plane is neither cleared first nor read back.
    /// </summary>
    private readonly struct StoreRow<T> : IPairRowWrite<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static bool Overwrites => true;

        public static void Write(T* row, Vector256<T> low, Vector256<T> high, int windows) => StorePairs(row, low, high, windows);
    }

    /// <summary>
    /// Where the vector for row <paramref name="oh"/>'s windows from <paramref name="next"/> on starts, and how many windows
    /// it takes. Where writing a window (or image element) twice does no harm (<paramref name="overwrites"/>), its loads
    /// and stores are whole vectors, not masked ones, which are slow on AMD's cores ([128, 32, 28, 28] took 30% longer
    /// per element than [128, 25, 32, 32], whose rows need no mask; Zen 3): a row holding at least a vector of windows
    /// ends on its last vector of windows, overlapping the vector before; a narrower row takes a whole vector whenever
    /// that stays inside the plane (<see cref="WholeVectorInPlane"/>), its lanes past the row's end reading the next image
    /// rows and writing windows (or image rows) that the plane's later rows then overwrite, as the rows go in order.
    /// Otherwise the vector takes the windows left, at most a vector, through masks. The output's
    /// <paramref name="outHeight"/> and <paramref name="outWidth"/> come from the caller: the geometry divides them out at
    /// every use, and read from it here, pooling to 7-wide rows spent 1.35% of the peer CNN step (two threads) in
    /// <see cref="WholeVectorInPlane"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Start, int Windows) VectorAt<T>(in ConvGeometry g, int outHeight, int outWidth, int oh, int next, bool overwrites)
        where T : unmanaged
    {
        int lanes = Vector256<T>.Count;
        if (overwrites && outWidth >= lanes)
        {
            return (Math.Min(next, outWidth - lanes), lanes);
        }
        if (overwrites && WholeVectorInPlane<T>(g, outHeight, outWidth, oh))
        {
            return (next, lanes);
        }
        return (next, Math.Min(lanes, outWidth - next));
    }

    /// <summary>
    /// Whether a whole vector of windows from the start of row <paramref name="oh"/> reads and writes only its plane: the
    /// image from its last tap row's start for two vectors, and the windows from the row's start for one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool WholeVectorInPlane<T>(in ConvGeometry g, int outHeight, int outWidth, int oh)
        where T : unmanaged
    {
        int lanes = Vector256<T>.Count;
        long lastImageRow = ((long)oh * g.StrideHeight) + ((g.KernelHeight - 1) * g.DilationHeight);
        return (lastImageRow * g.Width) + (2 * lanes) <= (long)g.Height * g.Width
            && ((long)oh * outWidth) + lanes <= (long)outHeight * outWidth;
    }

    /// <summary>
    /// For tap row <paramref name="i"/>: each window's value at the column of its tap, if its tap lies in that row, else 0,
    /// as the two vectors of the row's elements (<see cref="Interleave{T}"/>). The windows' values and taps are given in
    /// <see cref="Deinterleave"/>'s order.
    /// </summary>
    private static (Vector256<T> Low, Vector256<T> High) AtTapRow<T>(Vector256<T> value, Vector256<T> tap, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var even = Vector256.Equals(tap, Vector256.Create(T.CreateTruncating(2 * i))) & value;
        var odd = Vector256.Equals(tap, Vector256.Create(T.CreateTruncating(2 * i + 1))) & value;
        return Interleave(even, odd);
    }

    /// <summary>Where tap row <paramref name="i"/> of window (<paramref name="oh"/>, <paramref name="ow"/>) starts in its image plane (no padding, column stride 2).</summary>
    private static T* PairRow<T>(T* image, in ConvGeometry g, int oh, int i, int ow)
        where T : unmanaged =>
        image + (long)(oh * g.StrideHeight + i * g.DilationHeight) * g.Width + 2 * ow;

    /// <summary>The first <paramref name="count"/> elements at <paramref name="source"/> (at most a vector; the other lanes 0).</summary>
    private static Vector256<T> Load<T>(T* source, int count)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        RegisterChunk.Load<T, Simd256<T>>(new ReadOnlySpan<T>(source, count), count).Value;

    /// <summary>
    /// Vector <paramref name="half"/> (0 or 1) of the 2·<paramref name="windows"/> elements at <paramref name="source"/>: the
    /// part of them it holds, the other lanes 0.
    /// </summary>
    private static Vector256<T> Load<T>(T* source, int windows, int half)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Math.Min(Vector256<T>.Count, 2 * windows - (half * Vector256<T>.Count));
        return count > 0 ? Load(source + (half * Vector256<T>.Count), count) : Vector256<T>.Zero;
    }

    /// <summary>The first <paramref name="count"/> lanes of <paramref name="value"/> into <paramref name="destination"/>.</summary>
    private static void Store<T>(Vector256<T> value, T* destination, int count)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        RegisterChunk.Store(new Simd256<T>(value), new Span<T>(destination, count), count);

    /// <summary>The 2·<paramref name="windows"/> elements of <paramref name="low"/> then <paramref name="high"/> into <paramref name="destination"/>.</summary>
    private static void StorePairs<T>(T* destination, Vector256<T> low, Vector256<T> high, int windows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count;
        Store(low, destination, Math.Min(lanes, 2 * windows));
        if (2 * windows > lanes)
        {
            Store(high, destination + lanes, (2 * windows) - lanes);
        }
    }

    /// <summary>
    /// The even- and odd-indexed elements of the 2·<paramref name="windows"/> elements at <paramref name="source"/>, the
    /// windows in the order the in-lane shuffles leave them: the vector's middle two quarters swapped (for floats, windows
    /// 0, 1, 4, 5, 2, 3, 6, 7). Lane-wise work needs no other order; <see cref="SwapMiddleChunks"/> puts it right once, at
    /// the store, where a permute per tap row did before.
    /// </summary>
    private static (Vector256<T> Even, Vector256<T> Odd) Deinterleave<T>(T* source, int windows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var low = Load(source, windows, 0);
        var high = Load(source, windows, 1);
        // Within each 128-bit lane the shuffles and unpacks give [low's evens, high's evens] (and odds).
        if (typeof(T) == typeof(float))
        {
            var (l, h) = (low.AsSingle(), high.AsSingle());
            return (Avx.Shuffle(l, h, 0b10_00_10_00).As<float, T>(), Avx.Shuffle(l, h, 0b11_01_11_01).As<float, T>());
        }
        var (a, b) = (low.AsDouble(), high.AsDouble());
        return (Avx.UnpackLow(a, b).As<double, T>(), Avx.UnpackHigh(a, b).As<double, T>());
    }

    /// <summary>
    /// <paramref name="even"/> and <paramref name="odd"/>, in <see cref="Deinterleave{T}"/>'s order, interleaved into two
    /// vectors (the inverse of <see cref="Deinterleave{T}"/>).
    /// </summary>
    private static (Vector256<T> Low, Vector256<T> High) Interleave<T>(Vector256<T> even, Vector256<T> odd)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var (e, o) = (even.AsSingle(), odd.AsSingle());
            return (Avx.UnpackLow(e, o).As<float, T>(), Avx.UnpackHigh(e, o).As<float, T>());
        }
        var (a, b) = (even.AsDouble(), odd.AsDouble());
        return (Avx.UnpackLow(a, b).As<double, T>(), Avx.UnpackHigh(a, b).As<double, T>());
    }

    /// <summary>
    /// The vector with its 64-bit quarters in the order 0, 2, 1, 3: between window order and <see cref="Deinterleave{T}"/>'s
    /// order, either way (the swap is its own inverse).
    /// </summary>
    private static Vector256<T> SwapMiddleChunks<T>(Vector256<T> value)
        where T : unmanaged =>
        Avx2.Permute4x64(value.AsDouble(), ChunksInOrder).As<double, T>();

    /// <summary>Reads the image at the window's tap.</summary>
    private readonly struct GatherAtTap<T> : IWindowVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Visit(in ConvGeometry g, int* offsets, T* image, int top, int left, bool inside, T* window, T* tap) =>
            *window = image[top * g.Width + left + offsets[int.CreateTruncating(*tap)]];
    }

    /// <summary>Adds the window's value into the image at its tap.</summary>
    private readonly struct AddAtTap<T> : IWindowVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Visit(in ConvGeometry g, int* offsets, T* image, int top, int left, bool inside, T* window, T* tap) =>
            image[top * g.Width + left + offsets[int.CreateTruncating(*tap)]] += *window;
    }

    /// <summary>
    /// One call's geometry and pinned buffers: the image, one value per window, the windows' taps (null when not kept),
    /// and the tap offsets and window corners within a plane.
    /// </summary>
    private readonly struct Job<T>(ConvGeometry geometry, T* image, T* windows, T* taps, int* offsets, int* corners)
        where T : unmanaged
    {
        public ConvGeometry Geometry { get; } = geometry;

        public T* Image { get; } = image;

        public T* Windows { get; } = windows;

        public T* Taps { get; } = taps;

        public int* Offsets { get; } = offsets;

        public int* Corners { get; } = corners;

        /// <summary>The same job with its image at <paramref name="image"/>.</summary>
        public Job<T> Reading(T* image) => new(Geometry, image, Windows, Taps, Offsets, Corners);

        /// <summary>The first element of image plane <paramref name="plane"/>.</summary>
        public T* PlaneOf(int plane) => Image + (long)plane * Geometry.Height * Geometry.Width;
    }
}
