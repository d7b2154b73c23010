namespace TinyAutograd.Kernels;

/// <summary>
/// The sliding-window geometry of a 2-d convolution or pooling over an NCHW image: kernel, stride, zero padding and
/// dilation per spatial axis, and the output size they give.
/// </summary>
/// <remarks>
/// Output size per axis: ⌊(in + padBefore + padAfter − dilation·(kernel − 1) − 1) / stride⌋ + 1. The padding before
/// (top, left) and after (bottom, right) may differ, as PyTorch's "same" padding needs for an even kernel extent.
/// </remarks>
internal readonly record struct ConvGeometry(
    int Batch, int Channels, int Height, int Width,
    int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth,
    int PadTop, int PadBottom, int PadLeft, int PadRight,
    int DilationHeight, int DilationWidth)
{
    /// <summary>The output height.</summary>
    public int OutHeight => OutSize(Height, PadTop + PadBottom, DilationHeight, KernelHeight, StrideHeight);

    /// <summary>The output width.</summary>
    public int OutWidth => OutSize(Width, PadLeft + PadRight, DilationWidth, KernelWidth, StrideWidth);

    /// <summary>Rows of the column matrix per image: C·kh·kw, ordered (channel, kernel row, kernel column).</summary>
    public int Rows => Channels * KernelHeight * KernelWidth;

    /// <summary>Columns of the column matrix per image: one per output position, OH·OW.</summary>
    public int Positions => OutHeight * OutWidth;

    /// <summary>The image shape [N, C, H, W].</summary>
    public Shape ImageShape => new(Batch, Channels, Height, Width);

    /// <summary>Whether <paramref name="shape"/> is <see cref="ImageShape"/> (compared without making that shape).</summary>
    public bool IsImageShape(Shape shape) =>
        shape.Rank == 4 && shape[0] == Batch && shape[1] == Channels && shape[2] == Height && shape[3] == Width;

    /// <summary>The column shape of <paramref name="layout"/>: [N, C·kh·kw, OH·OW] or [C·kh·kw, N, OH·OW].</summary>
    public Shape ColumnShapeOf(ColumnLayout layout) => layout == ColumnLayout.PerImage ? new(Batch, Rows, Positions) : new(Rows, Batch, Positions);

    /// <summary>
    /// How far apart in the column matrix of <paramref name="layout"/> two consecutive images (same row) and two
    /// consecutive rows (same image) start; an output position always moves by one.
    /// </summary>
    public (int Image, int Row) ColumnStrides(ColumnLayout layout) =>
        layout == ColumnLayout.PerImage ? (Rows * Positions, Positions) : (Positions, Batch * Positions);

    /// <summary>0 when the dilated kernel is larger than the padded input (integer division would round −1/stride up to 0).</summary>
    private static int OutSize(int size, int padding, int dilation, int kernel, int stride)
    {
        int span = size + padding - dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }
}
