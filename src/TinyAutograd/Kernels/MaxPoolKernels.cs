using System.Numerics;

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
/// </remarks>
internal static class MaxPoolKernels
{
    /// <summary>Below this many window taps in total, one thread does the whole job.</summary>
    private const long ParallelTaps = 1 << 16;

    /// <summary>
    /// Writes each window's maximum into <paramref name="output"/> ([N, C, OH, OW]) and, unless <paramref name="taps"/>
    /// is empty, its arg-max tap. Every window must hold at least one tap inside the image.
    /// </summary>
    public static unsafe void Forward<T>(in ConvGeometry g, ReadOnlySpan<T> image, Span<T> output, Span<T> taps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* imagePointer = image, outputPointer = output, tapPointer = taps)
        {
            Run<T, ArgMax<T>>(new Job<T>(g, imagePointer, outputPointer, tapPointer));
        }
    }

    /// <summary>output[w] = image[tapPosition(w)] for every window w.</summary>
    public static unsafe void Gather<T>(in ConvGeometry g, ReadOnlySpan<T> taps, ReadOnlySpan<T> image, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* imagePointer = image, outputPointer = output, tapPointer = taps)
        {
            Run<T, GatherAtTap<T>>(new Job<T>(g, imagePointer, outputPointer, tapPointer));
        }
    }

    /// <summary>image[tapPosition(w)] += values[w] for every window w (<paramref name="image"/> is added into).</summary>
    public static unsafe void ScatterAdd<T>(in ConvGeometry g, ReadOnlySpan<T> taps, ReadOnlySpan<T> values, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* imagePointer = image, valuePointer = values, tapPointer = taps)
        {
            Run<T, AddAtTap<T>>(new Job<T>(g, imagePointer, valuePointer, tapPointer));
        }
    }

    /// <summary>Visits every window of every plane, the planes split among the cores when there are enough taps.</summary>
    private static void Run<T, TVisit>(Job<T> job)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVisit : IWindowVisit<T>
    {
        var g = job.Geometry;
        int planes = g.Batch * g.Channels;
        long work = (long)planes * g.OutHeight * g.OutWidth * g.KernelHeight * g.KernelWidth;
        if (work < ParallelTaps || planes < 2 || Environment.ProcessorCount < 2)
        {
            VisitPlanes<T, TVisit>(job, 0, planes);
            return;
        }
        int parts = Math.Min(planes, Environment.ProcessorCount);
        Parallel.For(0, parts, part => VisitPlanes<T, TVisit>(job, (int)((long)planes * part / parts), (int)((long)planes * (part + 1) / parts)));
    }

    private static unsafe void VisitPlanes<T, TVisit>(Job<T> job, int firstPlane, int endPlane)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVisit : IWindowVisit<T>
    {
        var g = job.Geometry;
        int outHeight = g.OutHeight, outWidth = g.OutWidth;
        for (int plane = firstPlane; plane < endPlane; plane++)
        {
            T* image = job.Image + (long)plane * g.Height * g.Width;
            long window = (long)plane * outHeight * outWidth;
            for (int oh = 0; oh < outHeight; oh++)
            {
                int top = oh * g.StrideHeight - g.PadTop;
                for (int ow = 0; ow < outWidth; ow++, window++)
                {
                    TVisit.Visit(g, image, top, ow * g.StrideWidth - g.PadLeft, job.Windows + window, job.Taps == null ? null : job.Taps + window);
                }
            }
        }
    }

    /// <summary>What is done at one window, whose top-left tap sits at (top, left) of its image plane (possibly in the padding).</summary>
    private unsafe interface IWindowVisit<T>
        where T : unmanaged
    {
        static abstract void Visit(in ConvGeometry g, T* image, int top, int left, T* window, T* tap);
    }

    /// <summary>The window's maximum and, when taps are kept, its first maximal tap in row-major order (the first NaN wins).</summary>
    private readonly unsafe struct ArgMax<T> : IWindowVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Visit(in ConvGeometry g, T* image, int top, int left, T* window, T* tap)
        {
            bool interior = top >= 0 && left >= 0
                && top + (g.KernelHeight - 1) * g.DilationHeight < g.Height && left + (g.KernelWidth - 1) * g.DilationWidth < g.Width;
            T best = T.NegativeInfinity;
            int bestTap = -1;
            for (int i = 0; i < g.KernelHeight; i++)
            {
                int ih = top + i * g.DilationHeight;
                if (!interior && (uint)ih >= (uint)g.Height)
                {
                    continue;
                }
                T* row = image + ih * g.Width;
                for (int j = 0; j < g.KernelWidth; j++)
                {
                    int iw = left + j * g.DilationWidth;
                    if (!interior && (uint)iw >= (uint)g.Width)
                    {
                        continue;
                    }
                    // Taken when larger, or the first tap, or the first NaN: written without short-circuits so that the
                    // JIT can select instead of branching on random data.
                    T value = row[iw];
                    bool take = (value > best) | (bestTap < 0) | (T.IsNaN(value) & !T.IsNaN(best));
                    best = take ? value : best;
                    bestTap = take ? i * g.KernelWidth + j : bestTap;
                }
            }
            *window = best;
            if (tap != null)
            {
                *tap = T.CreateTruncating(bestTap);
            }
        }
    }

    /// <summary>Reads the image at the window's tap.</summary>
    private readonly unsafe struct GatherAtTap<T> : IWindowVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Visit(in ConvGeometry g, T* image, int top, int left, T* window, T* tap) => *window = image[TapPosition(g, top, left, *tap)];
    }

    /// <summary>Adds the window's value into the image at its tap.</summary>
    private readonly unsafe struct AddAtTap<T> : IWindowVisit<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Visit(in ConvGeometry g, T* image, int top, int left, T* window, T* tap) => image[TapPosition(g, top, left, *tap)] += *window;
    }

    /// <summary>The offset in its image plane of tap t = i·kw + j of the window whose top-left tap is at (top, left).</summary>
    private static int TapPosition<T>(in ConvGeometry g, int top, int left, T tap)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int t = int.CreateTruncating(tap);
        return (top + t / g.KernelWidth * g.DilationHeight) * g.Width + left + t % g.KernelWidth * g.DilationWidth;
    }

    /// <summary>The pinned buffers of one call: the image, one value per window, and the windows' taps (null when not kept).</summary>
    private readonly unsafe struct Job<T>(ConvGeometry geometry, T* image, T* windows, T* taps)
        where T : unmanaged
    {
        public ConvGeometry Geometry { get; } = geometry;

        public T* Image { get; } = image;

        public T* Windows { get; } = windows;

        public T* Taps { get; } = taps;
    }
}
