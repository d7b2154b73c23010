using System.Numerics;

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
    /// columns → image, with positions outside the image set to zero (to columns) or skipped (to image).
    /// </summary>
    private static void Walk<T>(in ConvGeometry g, ReadOnlySpan<T> source, Span<T> destination, bool toColumns)
        where T : unmanaged, INumberBase<T>
    {
        int outHeight = g.OutHeight, outWidth = g.OutWidth, positions = g.Positions;
        int plane = g.Height * g.Width;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int c = 0; c < g.Channels; c++)
            {
                int imageBase = (n * g.Channels + c) * plane;
                for (int i = 0; i < g.KernelHeight; i++)
                {
                    for (int j = 0; j < g.KernelWidth; j++)
                    {
                        int row = (c * g.KernelHeight + i) * g.KernelWidth + j;
                        int columnBase = (n * g.Rows + row) * positions;
                        for (int oh = 0; oh < outHeight; oh++)
                        {
                            int ih = oh * g.StrideHeight - g.PadTop + i * g.DilationHeight;
                            int column = columnBase + oh * outWidth;
                            bool rowInside = (uint)ih < (uint)g.Height;
                            int imageRow = imageBase + ih * g.Width;
                            int iw = j * g.DilationWidth - g.PadLeft;
                            for (int ow = 0; ow < outWidth; ow++, iw += g.StrideWidth)
                            {
                                bool inside = rowInside && (uint)iw < (uint)g.Width;
                                if (toColumns)
                                {
                                    destination[column + ow] = inside ? source[imageRow + iw] : T.Zero;
                                }
                                else if (inside)
                                {
                                    destination[imageRow + iw] += source[column + ow];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
