using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Kernels;

/// <summary>
/// Im2col and its adjoint col2im over NCHW images: the column matrix holds, for each output position, the kernel
/// window's input values (zero where the window hangs over the padding).
/// </summary>
/// <remarks>
/// cols[n, (c·kh + i)·kw + j, oh·OW + ow] = x[n, c, oh·sh − pTop + i·dh, ow·sw − pLeft + j·dw] (0 outside the image).
/// Col2im adds each column entry back at that input position, so ⟨u, im2col(x)⟩ = ⟨col2im(u), x⟩.
/// </remarks>
internal static class Im2colKernels
{
    /// <summary>Fills <paramref name="columns"/> (every entry written) from <paramref name="image"/>.</summary>
    public static void Im2col<T>(in ConvGeometry g, ReadOnlySpan<T> image, Span<T> columns)
        where T : unmanaged, INumberBase<T> =>
        Walk(g, image, columns, toColumns: true);

    /// <summary>Adds every entry of <paramref name="columns"/> into <paramref name="image"/> at its input position.</summary>
    public static void Col2im<T>(in ConvGeometry g, ReadOnlySpan<T> columns, Span<T> image)
        where T : unmanaged, INumberBase<T> =>
        Walk(g, columns, image, toColumns: false);

    /// <summary>
    /// Visits every (row, output position) pair once; for each run of output columns it copies image → columns or adds
    /// columns → image, with positions outside the image set to zero (to columns) or skipped (to image). At stride 1 a
    /// run's inside part is one contiguous span on both sides, moved by a vectorized copy or add. Images touch disjoint
    /// parts of both sides, so large batches are split into ranges of images over the cores (<see cref="ParallelRanges"/>)
    /// without changing a bit.
    /// </summary>
    private static unsafe void Walk<T>(in ConvGeometry g, ReadOnlySpan<T> source, Span<T> destination, bool toColumns)
        where T : unmanaged, INumberBase<T>
    {
        long bytes = 2L * g.Batch * g.Rows * g.Positions * sizeof(T);
        int ranges = ParallelRanges.Worth(bytes, ParallelRanges.MinBytesPerRange, g.Batch);
        fixed (T* from = source, to = destination)
        {
            ParallelRanges.Run(new Images<T>(g, from, source.Length, to, destination.Length, toColumns), g.Batch, ranges, quantum: 1);
        }
    }

    /// <summary>The images [start, end) of one <see cref="Walk{T}"/>.</summary>
    private readonly unsafe struct Images<T>(ConvGeometry g, T* source, int sourceLength, T* destination, int destinationLength, bool toColumns) : IRangeKernel
        where T : unmanaged, INumberBase<T>
    {
        public void Run(int start, int end, int range)
        {
            for (int n = start; n < end; n++)
            {
                WalkImage(g, n, new ReadOnlySpan<T>(source, sourceLength), new Span<T>(destination, destinationLength), toColumns);
            }
        }
    }

    /// <summary>The part of <see cref="Walk{T}"/> for image <paramref name="n"/>.</summary>
    private static void WalkImage<T>(in ConvGeometry g, int n, ReadOnlySpan<T> source, Span<T> destination, bool toColumns)
        where T : unmanaged, INumberBase<T>
    {
        int outHeight = g.OutHeight, outWidth = g.OutWidth, positions = g.Positions;
        int plane = g.Height * g.Width;
        for (int c = 0; c < g.Channels; c++)
        {
            int imageBase = (n * g.Channels + c) * plane;
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++)
                {
                    int row = (c * g.KernelHeight + i) * g.KernelWidth + j;
                    int columnBase = (n * g.Rows + row) * positions;
                    int firstWidth = j * g.DilationWidth - g.PadLeft;
                    var (inside, end) = InsideRun(firstWidth, g.StrideWidth, g.Width, outWidth);
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
