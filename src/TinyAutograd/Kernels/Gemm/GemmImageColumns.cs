using System.Runtime.CompilerServices;

namespace TinyAutograd.Kernels;

/// <summary>
/// The columns of a convolution formed straight into the product's packed B panels from one image (an implicit
/// im2col), so that the Rows × Positions columns matrix is never written out:
/// B[(c, i, j), (oh, ow)] = x[c, oh·sh − top + i·dh, ow·sw − left + j·dw], and 0 where that falls outside the image.
/// </summary>
internal static unsafe class GemmImageColumns
{
    /// <summary>
    /// Packs rows [<paramref name="p0"/>, p0 + kc) and columns [<paramref name="col0"/>, col0 + cols) of the columns of
    /// <paramref name="image"/> into ⌈cols/Nr⌉ panels of Nr columns, laid out as <see cref="GemmPacking{T, TKernel}.PackB"/>
    /// lays out a stored B (each panel kc × Nr, row by row; the last one zero-padded). Each row is first formed whole in
    /// a line on the stack, one output row's stretch of the image at a time, then dealt out to the panels Nr values at a
    /// time: the stretches follow the image's rows, the panels do not.
    /// </summary>
    public static void Pack<T, TKernel>(in ConvGeometry g, T* image, int p0, int kc, int col0, int cols, T* dst)
        where T : unmanaged
        where TKernel : IGemmMicroKernel<T>
    {
        int nr = TKernel.Nr;
        int panels = (cols + nr - 1) / nr;
        T* line = stackalloc T[panels * nr]; // at most the blocking's Nc columns: a packed block's row, a few KiB
        new Span<T>(line + cols, panels * nr - cols).Clear();
        int kernelArea = g.KernelHeight * g.KernelWidth;
        int outWidth = g.OutWidth;
        nint panelSize = (nint)nr * kc;
        bool shifted = g.StrideHeight == 1 && g.StrideWidth == 1 && outWidth == g.Width;
        for (int p = 0; p < kc; p++)
        {
            int row = p0 + p;
            int channel = row / kernelArea, i = row % kernelArea / g.KernelWidth, j = row % g.KernelWidth;
            T* plane = image + (nint)channel * g.Height * g.Width;
            int heightOffset = i * g.DilationHeight - g.PadTop;
            int widthOffset = j * g.DilationWidth - g.PadLeft;
            if (shifted)
            {
                ShiftedRow(g, plane, heightOffset, widthOffset, col0, cols, line);
            }
            else
            {
                StretchedRow(g, plane, heightOffset, widthOffset, col0, cols, line);
            }
            T* panelRow = dst + (nint)p * nr;
            for (int q = 0; q < panels; q++)
            {
                // A copy of constant size, which the JIT unrolls into register moves.
                Unsafe.CopyBlockUnaligned(panelRow + q * panelSize, line + q * nr, (uint)(TKernel.Nr * sizeof(T)));
            }
        }
    }

    /// <summary>
    /// Columns [col0, col0 + cols) of one row of B, [c, i, j], when the stride is 1 and the output as wide as the image
    /// (the "same" padding of most networks): output position n then reads the plane at n + shift, shift =
    /// (i·dh − top)·W + (j·dw − left), so the row is one copy of the plane, then zeros where the tap falls above or below
    /// the image (whole output rows) or wraps past its left or right edge (|j·dw − left| positions of each output row).
    /// </summary>
    private static void ShiftedRow<T>(in ConvGeometry g, T* plane, int heightOffset, int widthOffset, int col0, int cols, T* line)
        where T : unmanaged
    {
        int width = g.Width;
        int first = Math.Clamp((Math.Max(0, -heightOffset) * width) - col0, 0, cols);
        int end = Math.Clamp((Math.Min(g.OutHeight, g.Height - heightOffset) * width) - col0, first, cols);
        // The copy stays inside the plane: the positions it leaves out wrap past the plane's first or last row.
        int shift = (heightOffset * width) + widthOffset;
        int copyFirst = Math.Clamp(-shift - col0, first, end), copyEnd = Math.Clamp((g.Height * width) - shift - col0, copyFirst, end);
        new Span<T>(line, copyFirst).Clear();
        new ReadOnlySpan<T>(plane + col0 + copyFirst + shift, copyEnd - copyFirst).CopyTo(new Span<T>(line + copyFirst, copyEnd - copyFirst));
        new Span<T>(line + copyEnd, cols - copyEnd).Clear();
        if (widthOffset == 0 || first == end)
        {
            return;
        }
        // The wrapped positions: ow in [0, −offset) on the left, [W − offset, W) on the right, of each output row.
        var (from, to) = widthOffset < 0 ? (0, Math.Min(-widthOffset, width)) : (Math.Max(width - widthOffset, 0), width);
        for (int rowStart = (col0 + first) / width * width - col0; rowStart < end; rowStart += width)
        {
            for (int n = Math.Max(rowStart + from, first), stop = Math.Min(rowStart + to, end); n < stop; n++)
            {
                line[n] = default;
            }
        }
    }

    /// <summary>Columns [col0, col0 + cols) of one row of B, [c, i, j], one output row's stretch of the image at a time.</summary>
    private static void StretchedRow<T>(in ConvGeometry g, T* plane, int heightOffset, int widthOffset, int col0, int cols, T* line)
        where T : unmanaged
    {
        int outWidth = g.OutWidth;
        int oh = col0 / outWidth, ow = col0 % outWidth;
        for (int n = 0; n < cols; oh++, ow = 0)
        {
            int run = Math.Min(outWidth - ow, cols - n);
            int ih = oh * g.StrideHeight + heightOffset;
            if ((uint)ih < (uint)g.Height)
            {
                Stretch(plane + (nint)ih * g.Width, g.Width, ow * g.StrideWidth + widthOffset, g.StrideWidth, line + n, run);
            }
            else
            {
                new Span<T>(line + n, run).Clear();
            }
            n += run;
        }
    }

    /// <summary>d[t] = line[first + t·stride] for t in [0, run), 0 where the index falls outside [0, width).</summary>
    private static void Stretch<T>(T* line, int width, int first, int stride, T* d, int run)
        where T : unmanaged
    {
        if (stride == 1)
        {
            // The part inside the image, [inside, end), is copied; the rest is padding.
            // Element loops: a stretch is an output row, often shorter than the call a span copy would make.
            int inside = Math.Clamp(-first, 0, run), end = Math.Clamp(width - first, inside, run);
            T* source = line + first;
            int t = 0;
            for (; t < inside; t++)
            {
                d[t] = default;
            }
            for (; t < end; t++)
            {
                d[t] = source[t];
            }
            for (; t < run; t++)
            {
                d[t] = default;
            }
            return;
        }
        for (int t = 0; t < run; t++)
        {
            int w = first + t * stride;
            d[t] = (uint)w < (uint)width ? line[w] : default;
        }
    }
}
