using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd.Nn;

/// <summary>
/// Average pooling over kh × kw windows of NCHW images (PyTorch's <c>nn.AvgPool2d</c>): each channel separately, with
/// stride (by default the kernel size) and zero padding.
/// </summary>
/// <remarks>
/// <para>
/// y[n, c, p, q] = (1/D) Σ_{i &lt; kh, j &lt; kw} x[n, c, p·sh − ph + i, q·sw − pw + j], with x zero in the padding and
/// OH = ⌊(H + 2ph − kh)/sh⌋ + 1 (likewise OW). With <see cref="CountIncludePad"/> (PyTorch's default) D = kh·kw;
/// without it D is the number of window positions inside the image.
/// </para>
/// <para>
/// It is im2col (the recorded linear op under <see cref="Conv2d{T}"/>) followed by a mean or a sum over each window, so
/// its gradient, JVP and Hessian-vector products go through. PyTorch's <c>ceil_mode</c> and <c>divisor_override</c>
/// are not offered (both off).
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AvgPool2d<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Pools windows of <paramref name="kernelSize"/>.</summary>
    /// <param name="kernelSize">kh × kw (an int means square).</param>
    /// <param name="stride">The step between windows (default: the kernel size).</param>
    /// <param name="padding">Zero padding per side, at most half the kernel on each axis (default 0).</param>
    /// <param name="countIncludePad">Whether padded positions count in the divisor (PyTorch's default, true).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the padding is negative or more than half the kernel.</exception>
    public AvgPool2d(Size2d kernelSize, Size2d? stride = null, Size2d padding = default, bool countIncludePad = true)
    {
        kernelSize.RequirePositive(nameof(kernelSize));
        var step = stride ?? kernelSize;
        step.RequirePositive(nameof(stride));
        if (padding.Height < 0 || padding.Width < 0 || 2 * padding.Height > kernelSize.Height || 2 * padding.Width > kernelSize.Width)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), $"AvgPool2d {kernelSize.Height}×{kernelSize.Width}: padding is {padding}; expected between 0 and half the kernel on each axis.");
        }
        (KernelSize, Stride, Padding, CountIncludePad) = (kernelSize, step, padding, countIncludePad);
    }

    /// <summary>kh × kw.</summary>
    public Size2d KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public Size2d Stride { get; }

    /// <summary>The zero padding per side.</summary>
    public Size2d Padding { get; }

    /// <summary>Whether padded positions count in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc/>
    public override string Description
    {
        get
        {
            string stride = Stride == KernelSize ? "" : $", stride {Stride}";
            string padding = Padding == default ? "" : $", padding {Padding}{(CountIncludePad ? "" : " (not counted)")}";
            return $"AvgPool2d {KernelSize.Height}×{KernelSize.Width}{stride}{padding}";
        }
    }

    /// <summary>The window averages of an input of shape [N, C, H, W]; the output has shape [N, C, OH, OW].</summary>
    /// <exception cref="ArgumentException">The input is not 4-d, or its padded image is smaller than the kernel.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw ShapeError($"input has shape {input.Shape}, expected [N, C, H, W]");
        }
        var g = new ConvGeometry(input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3], KernelSize.Height, KernelSize.Width,
            Stride.Height, Stride.Width, Padding.Height, Padding.Height, Padding.Width, Padding.Width, 1, 1);
        if (g.OutHeight <= 0 || g.OutWidth <= 0)
        {
            throw ShapeError($"input {g.Height}×{g.Width} with padding {Padding} is smaller than the kernel {KernelSize.Height}×{KernelSize.Width}");
        }
        var windows = Im2colNode<T>.Apply(input, g).Reshape(g.Batch, g.Channels, g.KernelHeight * g.KernelWidth, g.OutHeight, g.OutWidth);
        return CountIncludePad ? windows.Mean(2) : windows.Sum(2) * InsideCountReciprocals(g);
    }

    /// <summary>1/D per output position [OH, OW], D = (rows of the window inside the image)·(columns inside).</summary>
    private static Tensor<T> InsideCountReciprocals(in ConvGeometry g)
    {
        var reciprocals = new T[g.Positions];
        for (int p = 0; p < g.OutHeight; p++)
        {
            int rows = Inside(p * g.StrideHeight - g.PadTop, g.KernelHeight, g.Height);
            for (int q = 0; q < g.OutWidth; q++)
            {
                int columns = Inside(q * g.StrideWidth - g.PadLeft, g.KernelWidth, g.Width);
                reciprocals[p * g.OutWidth + q] = T.One / T.CreateTruncating(rows * columns);
            }
        }
        return Tensor.FromArray(reciprocals, g.OutHeight, g.OutWidth);
    }

    /// <summary>How many of the positions start … start + kernel − 1 lie in 0 … size − 1.</summary>
    private static int Inside(int start, int kernel, int size) => Math.Min(start + kernel, size) - Math.Max(start, 0);
}
