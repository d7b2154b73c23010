using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Kernels;

/// <summary>
/// Im2col and its adjoint col2im over NCHW images: the column matrix holds, for each output position, the kernel
/// window's input values (zero where the window hangs over the padding).
/// </summary>
/// <remarks>
/// cols[n, (c·kh + i)·kw + j, oh·OW + ow] = x[n, c, oh·sh − pTop + i·dh, ow·sw − pLeft + j·dw] (0 outside the image),
/// stored per image ([N, rows, positions]) or for the whole batch ([rows, N, positions]) as <see cref="ColumnLayout"/>
/// says. Col2im adds each column entry back at that input position, so ⟨u, im2col(x)⟩ = ⟨col2im(u), x⟩.
/// </remarks>
internal static class Im2colKernels
{
    /// <summary>Fills <paramref name="columns"/> (every entry written, in <paramref name="layout"/>) from <paramref name="image"/>.</summary>
    public static void Im2col<T>(in ConvGeometry g, ReadOnlySpan<T> image, Span<T> columns, ColumnLayout layout = ColumnLayout.PerImage)
        where T : unmanaged, INumberBase<T> =>
        Walk(g, image, columns, toColumns: true, layout);

    /// <summary>Adds every entry of <paramref name="columns"/> (in <paramref name="layout"/>) into <paramref name="image"/> at its input position.</summary>
    public static void Col2im<T>(in ConvGeometry g, ReadOnlySpan<T> columns, Span<T> image, ColumnLayout layout = ColumnLayout.PerImage)
        where T : unmanaged, INumberBase<T> =>
        Walk(g, columns, image, toColumns: false, layout);

    /// <summary>
    /// Visits every (row, output position) pair once; for each run of output columns it copies image → columns or adds
    /// columns → image, with positions outside the image set to zero (to columns) or skipped (to image). At stride 1 a
    /// run's inside part is one contiguous span on both sides, moved by a vectorized copy or add. The work is one item
    /// per (image, channel) plane, taken in the order the columns are stored (image-major per image, channel-major when
    /// batched) so the writes run forward through memory. Planes touch disjoint parts of both sides, so large walks are
    /// split into ranges of planes over the cores (<see cref="ParallelRanges"/>) without changing a bit.
    /// </summary>
    private static unsafe void Walk<T>(in ConvGeometry g, ReadOnlySpan<T> source, Span<T> destination, bool toColumns, ColumnLayout layout)
        where T : unmanaged, INumberBase<T>
    {
        int planes = g.Batch * g.Channels;
        long bytes = 2L * g.Batch * g.Rows * g.Positions * sizeof(T);
        int ranges = ParallelRanges.Worth(bytes, ParallelRanges.MinBytesPerRange, planes);
        fixed (T* from = source, to = destination)
        {
            var walk = new Planes<T>(g, from, source.Length, to, destination.Length, toColumns, layout);
            ParallelRanges.Run(walk, planes, ranges, quantum: 1);
        }
    }

    /// <summary>The (image, channel) planes [start, end) of one <see cref="Walk{T}"/>, numbered in the layout's order.</summary>
    private readonly unsafe struct Planes<T>(ConvGeometry g, T* source, int sourceLength, T* destination, int destinationLength, bool toColumns, ColumnLayout layout)
        : IRangeKernel
        where T : unmanaged, INumberBase<T>
    {
        public void Run(int start, int end, int range)
        {
            var (imageStride, rowStride) = g.ColumnStrides(layout);
            int rowsPerChannel = g.KernelHeight * g.KernelWidth;
            for (int plane = start; plane < end; plane++)
            {
                var (n, c) = layout == ColumnLayout.Batched ? (plane % g.Batch, plane / g.Batch) : (plane / g.Channels, plane % g.Channels);
                WalkPlane(g, n, c, new ReadOnlySpan<T>(source, sourceLength), new Span<T>(destination, destinationLength), toColumns,
                    n * imageStride + c * rowsPerChannel * rowStride, rowStride);
            }
        }
    }

    /// <summary>
    /// The part of <see cref="Walk{T}"/> for channel <paramref name="c"/> of image <paramref name="n"/>, whose column
    /// rows (kernel row i, kernel column j) start at <paramref name="columnStart"/> + (i·kw + j) · <paramref name="rowStride"/>.
    /// </summary>
    private static void WalkPlane<T>(in ConvGeometry g, int n, int c, ReadOnlySpan<T> source, Span<T> destination, bool toColumns, int columnStart, int rowStride)
        where T : unmanaged, INumberBase<T>
    {
        int outHeight = g.OutHeight, outWidth = g.OutWidth;
        int imageBase = (n * g.Channels + c) * g.Height * g.Width;
        for (int i = 0; i < g.KernelHeight; i++)
        {
            for (int j = 0; j < g.KernelWidth; j++)
            {
                int columnBase = columnStart + (i * g.KernelWidth + j) * rowStride;
                int firstWidth = j * g.DilationWidth - g.PadLeft;
                var (inside, end) = InsideRun(firstWidth, g.StrideWidth, g.Width, outWidth);
                if (toColumns && RowsAreContiguous(g))
                {
                    CopyKernelRow(g, source, destination.Slice(columnBase, g.Positions), imageBase + firstWidth, i, inside, end);
                    continue;
                }
                for (int oh = 0; oh < outHeight; oh++)
                {
                    int ih = oh * g.StrideHeight - g.PadTop + i * g.DilationHeight;
                    int column = columnBase + oh * outWidth;
                    if ((uint)ih >= (uint)g.Height || inside >= end)
                    {
                        if (toColumns)
                        {
                            destination.Slice(column, outWidth).Clear();
                        }
                        continue;
                    }
                    int imageStart = imageBase + ih * g.Width + firstWidth;
                    if (toColumns)
                    {
                        destination.Slice(column, inside).Clear();
                        destination[(column + end)..(column + outWidth)].Clear();
                    }
                    MoveRun(source, destination, toColumns, column, imageStart, inside, end, g.StrideWidth);
                }
            }
        }
    }

    /// <summary>
    /// Whether consecutive output rows read consecutive input rows at the same offsets: stride 1 along the width and an
    /// output as wide as one input row step (as with "same" padding at stride 1), so that one kernel row's columns for all
    /// output rows are a single run of the image, shifted by the kernel offset.
    /// </summary>
    private static bool RowsAreContiguous(in ConvGeometry g) => g.StrideWidth == 1 && g.OutWidth == g.StrideHeight * g.Width;

    /// <summary>
    /// Fills one column row (kernel row <paramref name="i"/>, one kernel column) when <see cref="RowsAreContiguous"/>:
    /// the output rows whose input row lies inside the image are one copy from <paramref name="shiftedImage"/> (the
    /// image plane's start plus the kernel column's offset), which carries the neighbouring row's values into the
    /// output columns outside [<paramref name="inside"/>, <paramref name="end"/>); those, and the output rows outside
    /// the image, are then cleared.
    /// </summary>
    private static void CopyKernelRow<T>(in ConvGeometry g, ReadOnlySpan<T> source, Span<T> row, int shiftedImage, int i, int inside, int end)
        where T : unmanaged, INumberBase<T>
    {
        int outWidth = g.OutWidth, rowStep = g.StrideHeight * g.Width;
        int offset = i * g.DilationHeight - g.PadTop;
        int first = offset >= 0 ? 0 : (-offset + g.StrideHeight - 1) / g.StrideHeight;
        int last = g.Height - 1 - offset < 0 ? 0 : Math.Min(g.OutHeight, (g.Height - 1 - offset) / g.StrideHeight + 1);
        if (first >= last || inside >= end)
        {
            row.Clear();
            return;
        }
        int start = first * outWidth + inside, stop = (last - 1) * outWidth + end;
        source.Slice(shiftedImage + (first * g.StrideHeight + offset) * g.Width + inside, stop - start).CopyTo(row[start..stop]);
        row[..(first * outWidth)].Clear();
        row[(last * outWidth)..].Clear();
        for (int oh = first; oh < last; oh++)
        {
            // Usually a padding's worth of entries each side: plain stores beat a call per run.
            for (int ow = 0; ow < inside; ow++)
            {
                row[oh * outWidth + ow] = T.Zero;
            }
            for (int ow = end; ow < outWidth; ow++)
            {
                row[oh * outWidth + ow] = T.Zero;
            }
        }
    }

    /// <summary>
    /// The output columns [inside, end) whose input column firstWidth + ow·stride lies inside [0, width) (an empty range
    /// when none does).
    /// </summary>
    private static (int Inside, int End) InsideRun(int firstWidth, int stride, int width, int outWidth)
    {
        int inside = firstWidth >= 0 ? 0 : (-firstWidth + stride - 1) / stride;
        int end = width - 1 - firstWidth < 0 ? 0 : Math.Min(outWidth, (width - 1 - firstWidth) / stride + 1);
        return (Math.Min(inside, outWidth), end);
    }

    /// <summary>Moves the output columns [inside, end) of one run: column + ow ↔ imageStart + ow·stride.</summary>
    private static void MoveRun<T>(ReadOnlySpan<T> source, Span<T> destination, bool toColumns, int column, int imageStart, int inside, int end, int stride)
        where T : unmanaged, INumberBase<T>
    {
        int count = end - inside;
        if (stride == 1)
        {
            if (toColumns)
            {
                source.Slice(imageStart + inside, count).CopyTo(destination.Slice(column + inside, count));
            }
            else
            {
                var target = destination.Slice(imageStart + inside, count);
                TensorPrimitives.Add(target, source.Slice(column + inside, count), target);
            }
            return;
        }
        for (int ow = inside; ow < end; ow++)
        {
            if (toColumns)
            {
                destination[column + ow] = source[imageStart + ow * stride];
            }
            else
            {
                destination[imageStart + ow * stride] += source[column + ow];
            }
        }
    }
}
