using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using X86Fma = System.Runtime.Intrinsics.X86.Fma;

namespace TinyAutograd.Kernels;

/// <summary>
/// A convolution's forward pass read straight from the zero-padded image, for windows of at most <see cref="MaxTaps"/>
/// values (C·kh·kw: a first layer over one-channel images, 3×3) at stride 1 along the width:
/// y[n, o, p, q] = b[o] + Σ_k W[o, k]·x̂[n, k, p, q], x̂ the image padded with zeros, tap k = (c, i, j) reading
/// x̂[n, c, p·sh + i·dh, q + j·dw].
/// </summary>
/// <remarks>
/// Six output channels at a time, and for each of their output rows each run of 2·Vector256 positions (16 floats; the
/// row's last run moved back to end at the row's end, its first positions made twice with the same bits), the six
/// channels hold their run in twelve accumulators: per tap, two loads of the padded image and six broadcast weights,
/// each accumulator formed from zero by one fused multiply-add per tap in tap order, then the bias added. Those are the
/// bits of the product path (<see cref="ConvolutionKernel"/>, whose one depth block makes the same chain and adds it
/// onto the bias), without its cost at a depth of a few taps: a micro-kernel call per 6×16 tile that runs nine steps,
/// the image's columns gathered into panels, and the output swept twice (the bias, then the product added onto it).
/// The six planes are written front to back, a few sequential streams; a loop that made every channel of one run
/// before the next wrote all the planes a run at a time and ran no faster than the product.
/// </remarks>
internal static unsafe class DirectConvolution
{
    /// <summary>The most taps (C·kh·kw) a window may hold.</summary>
    public const int MaxTaps = 9;

    /// <summary>Output channels made together: twelve of the sixteen ymm registers accumulate.</summary>
    private const int ChannelGroup = 6;

    /// <summary>
    /// Whether this path runs the convolution: float or double, one group, stride 1 along the width, at most
    /// <see cref="MaxTaps"/> taps, output rows at least one run wide, and fused multiply-add in hardware.
    /// </summary>
    public static bool Handles<T>(in ConvGeometry g, int groups)
        where T : unmanaged =>
        (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && X86Fma.IsSupported && groups == 1
        && g.StrideWidth == 1 && g.Rows <= MaxTaps && g.OutHeight > 0 && g.OutWidth >= 2 * Vector256<T>.Count;

    /// <summary>
    /// y = W ⋆ x + b over the whole batch (<see cref="Handles{T}"/> must hold). Images are split into ranges over the
    /// cores when the work is large; each image is made the same way whatever range runs it.
    /// </summary>
    /// <param name="g">The geometry over the whole batch.</param>
    /// <param name="outChannels">The number of output channels.</param>
    /// <param name="image">x, batch × channels × height × width.</param>
    /// <param name="weights">W, outChannels × C·kh·kw.</param>
    /// <param name="bias">b, outChannels values, or empty for none.</param>
    /// <param name="output">y, batch × outChannels × out height × out width.</param>
    public static void Forward<T>(in ConvGeometry g, int outChannels, ReadOnlySpan<T> image, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int paddedHeight = g.Height + g.PadTop + g.PadBottom, paddedWidth = g.Width + g.PadLeft + g.PadRight;
        int paddedSize = checked(g.Channels * paddedHeight * paddedWidth);
        long work = (long)outChannels * g.Batch * g.Positions * g.Rows;
        int ranges = ParallelRanges.Worth(work, GemmParallel.MinWorkPerThread, g.Batch);
        // Cleared once: each image is copied into the interior, so the border stays zero.
        var padded = TensorArena.Allocate<T>(checked(ranges * paddedSize), clear: true);
        int* taps = stackalloc int[MaxTaps];
        int k = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++)
                {
                    taps[k++] = (((c * paddedHeight) + (i * g.DilationHeight)) * paddedWidth) + (j * g.DilationWidth);
                }
            }
        }
        fixed (T* x = image, w = weights, b = bias, y = output, s = padded)
        {
            var images = new Images<T>(g, outChannels, paddedHeight, paddedWidth, taps, x, w, bias.IsEmpty ? null : b, y, s);
            ParallelRanges.Run(images, g.Batch, ranges, quantum: 1);
        }
    }

    /// <summary>Images [start, end); range r pads its images into its own scratch at r · C·Hp·Wp.</summary>
    private readonly struct Images<T>(ConvGeometry g, int outChannels, int paddedHeight, int paddedWidth, int* taps, T* image, T* weights, T* bias, T* output, T* scratch) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end, int range)
        {
            int positions = g.Positions, rows = g.Rows;
            nint imageSize = (nint)g.Channels * g.Height * g.Width;
            T* padded = scratch + ((nint)range * g.Channels * paddedHeight * paddedWidth);
            var planes = new Planes(g.OutHeight, g.OutWidth, (nint)g.StrideHeight * paddedWidth, positions);
            for (int n = start; n < end; n++)
            {
                Pad(image + (n * imageSize), padded);
                for (int o = 0; o < outChannels; o += ChannelGroup)
                {
                    T* y = output + ((((nint)n * outChannels) + o) * positions);
                    Channels(planes, rows, padded, taps, weights + ((nint)o * rows), Math.Min(ChannelGroup, outChannels - o), bias is null ? null : bias + o, y);
                }
            }
        }

        /// <summary>Copies one image's planes into the interior of the padded planes.</summary>
        private void Pad(T* from, T* to)
        {
            for (int c = 0; c < g.Channels; c++)
            {
                for (int h = 0; h < g.Height; h++)
                {
                    T* source = from + ((((nint)c * g.Height) + h) * g.Width);
                    T* destination = to + ((((nint)c * paddedHeight) + h + g.PadTop) * paddedWidth) + g.PadLeft;
                    new ReadOnlySpan<T>(source, g.Width).CopyTo(new Span<T>(destination, g.Width));
                }
            }
        }
    }

    /// <summary>The output planes of one image as <see cref="Channels{T}"/> walks them, and where each output row reads.</summary>
    /// <param name="Height">Output rows.</param>
    /// <param name="Width">Output positions per row.</param>
    /// <param name="RowStep">Elements of the padded image between the windows of consecutive output rows (sh·Wp).</param>
    /// <param name="Positions">Elements between consecutive channels' planes.</param>
    private readonly record struct Planes(int Height, int Width, nint RowStep, nint Positions);

    /// <summary>
    /// Every output row of <paramref name="count"/> (at most six) channels' planes, run by run: channel r's weights at
    /// w + r·<paramref name="rows"/>, its plane at y + r·Positions. Fewer than six channels repeat the last one's weights
    /// in the unused accumulators, which are not stored.
    /// </summary>
    /// <remarks>
    /// Never inlined, as the GEMM micro-kernel: its twelve accumulators need the registers to themselves. The rows and
    /// runs loop inside the call: a call per run (nine taps) spent about as long entering and leaving as multiplying.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Channels<T>(in Planes planes, int rows, T* padded, int* taps, T* w, int count, T* bias, T* y)
        where T : unmanaged
    {
        int run = 2 * Vector256<T>.Count, lastRun = planes.Width - run;
        nint positions = planes.Positions;
        T* w0 = w, w1 = w + (Math.Min(1, count - 1) * rows), w2 = w + (Math.Min(2, count - 1) * rows);
        T* w3 = w + (Math.Min(3, count - 1) * rows), w4 = w + (Math.Min(4, count - 1) * rows), w5 = w + (Math.Min(5, count - 1) * rows);
        for (int p = 0; p < planes.Height; p++)
        {
            for (int q = 0; ; q += run)
            {
                int at = Math.Min(q, lastRun);
                Run(rows, padded + (p * planes.RowStep) + at, taps, w0, w1, w2, w3, w4, w5, count, bias, y + ((nint)p * planes.Width) + at, positions);
                if (at == lastRun)
                {
                    break;
                }
            }
        }
    }

    /// <summary>One run of 2·Vector256 positions of the six channels whose weights are at w0 … w5 (see <see cref="Channels{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<T>(int rows, T* x, int* taps, T* w0, T* w1, T* w2, T* w3, T* w4, T* w5, int count, T* bias, T* y, nint positions)
        where T : unmanaged
    {
        int width = Vector256<T>.Count;
        Vector256<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default;
        Vector256<T> c3a = default, c3b = default, c4a = default, c4b = default, c5a = default, c5b = default;
        for (int k = 0; k < rows; k++)
        {
            T* tap = x + taps[k];
            Vector256<T> a = Vector256.Load(tap);
            Vector256<T> b = Vector256.Load(tap + width);
            Vector256<T> s = Vector256.Create(w0[k]);
            c0a = GemmMicroKernel256<T>.Fma(s, a, c0a);
            c0b = GemmMicroKernel256<T>.Fma(s, b, c0b);
            s = Vector256.Create(w1[k]);
            c1a = GemmMicroKernel256<T>.Fma(s, a, c1a);
            c1b = GemmMicroKernel256<T>.Fma(s, b, c1b);
            s = Vector256.Create(w2[k]);
            c2a = GemmMicroKernel256<T>.Fma(s, a, c2a);
            c2b = GemmMicroKernel256<T>.Fma(s, b, c2b);
            s = Vector256.Create(w3[k]);
            c3a = GemmMicroKernel256<T>.Fma(s, a, c3a);
            c3b = GemmMicroKernel256<T>.Fma(s, b, c3b);
            s = Vector256.Create(w4[k]);
            c4a = GemmMicroKernel256<T>.Fma(s, a, c4a);
            c4b = GemmMicroKernel256<T>.Fma(s, b, c4b);
            s = Vector256.Create(w5[k]);
            c5a = GemmMicroKernel256<T>.Fma(s, a, c5a);
            c5b = GemmMicroKernel256<T>.Fma(s, b, c5b);
        }

        Store(y, c0a, c0b, bias, 0);
        if (count > 1)
        {
            Store(y + positions, c1a, c1b, bias, 1);
        }
        if (count > 2)
        {
            Store(y + (2 * positions), c2a, c2b, bias, 2);
        }
        if (count > 3)
        {
            Store(y + (3 * positions), c3a, c3b, bias, 3);
        }
        if (count > 4)
        {
            Store(y + (4 * positions), c4a, c4b, bias, 4);
        }
        if (count > 5)
        {
            Store(y + (5 * positions), c5a, c5b, bias, 5);
        }
    }

    /// <summary>Stores channel <paramref name="channel"/>'s run, its bias added first when there is one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* y, Vector256<T> low, Vector256<T> high, T* bias, int channel)
        where T : unmanaged
    {
        if (bias is not null)
        {
            var b = Vector256.Create(bias[channel]);
            low += b;
            high += b;
        }
        low.Store(y);
        high.Store(y + Vector256<T>.Count);
    }
}
