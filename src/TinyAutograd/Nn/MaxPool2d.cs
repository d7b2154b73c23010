using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd.Nn;

/// <summary>
/// 2-d max pooling over NCHW images (PyTorch's <c>nn.MaxPool2d</c>): each output is the largest input in its window,
/// with a stride (by default the kernel size, so windows tile the image), padding and dilation.
/// </summary>
/// <remarks>
/// <para>
/// y[n, c, p, q] = max over i &lt; kh, j &lt; kw of x[n, c, p·sh − ph + i·dh, q·sw − pw + j·dw], taking only taps inside
/// the image (padding never wins, as if it held −∞); OH = ⌊(H + 2·ph − dh·(kh − 1) − 1) / sh⌋ + 1, likewise OW.
/// A window holding a NaN gives NaN.
/// </para>
/// <para>
/// Gradient: ∂L/∂x is ∂L/∂y[n, c, p, q] added at each window's arg-max, zero elsewhere (an input that is the arg-max of
/// several overlapping windows receives the sum). Ties follow PyTorch: the whole gradient goes to one arg-max, the
/// first maximal tap in row-major window order (smallest i, then smallest j). With the arg-max fixed, pooling is a
/// linear selection, so its JVP selects ẋ at the same taps and second derivatives through it are exact.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MaxPool2d<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">kh × kw (an int means square).</param>
    /// <param name="stride">The step between windows (default: the kernel size).</param>
    /// <param name="padding">Padding per side, at most half the kernel size on each axis (default 0); "same" is not accepted, as in PyTorch.</param>
    /// <param name="dilation">The spacing between window taps (default 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or padding is negative or more than half the kernel.</exception>
    /// <exception cref="ArgumentException">"same" padding.</exception>
    public MaxPool2d(Size2d kernelSize, Size2d? stride = null, Padding2d padding = default, Size2d? dilation = null)
    {
        kernelSize.RequirePositive(nameof(kernelSize));
        Stride = stride ?? kernelSize;
        Dilation = dilation ?? 1;
        Stride.RequirePositive(nameof(stride));
        Dilation.RequirePositive(nameof(dilation));
        if (padding.IsSame)
        {
            throw new ArgumentException($"MaxPool2d {kernelSize.Height}×{kernelSize.Width}: \"same\" padding is not supported; give the padding per side.", nameof(padding));
        }
        if (padding.Height < 0 || padding.Width < 0 || padding.Height > kernelSize.Height / 2 || padding.Width > kernelSize.Width / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(padding),
                $"MaxPool2d {kernelSize.Height}×{kernelSize.Width}: padding is {padding}; expected between 0 and half the kernel size on each axis ({kernelSize.Height / 2}, {kernelSize.Width / 2}).");
        }
        (KernelSize, Padding) = (kernelSize, padding);
    }

    /// <summary>kh × kw.</summary>
    public Size2d KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public Size2d Stride { get; }

    /// <summary>The padding per side.</summary>
    public Padding2d Padding { get; }

    /// <summary>The spacing between window taps.</summary>
    public Size2d Dilation { get; }

    /// <inheritdoc/>
    public override string Description
    {
        get
        {
            var options = new List<string>();
            if (Stride != KernelSize) options.Add($"stride {Stride}");
            if (Padding != default) options.Add($"padding {Padding}");
            if (Dilation != new Size2d(1, 1)) options.Add($"dilation {Dilation}");
            return $"MaxPool2d {KernelSize.Height}×{KernelSize.Width}{string.Concat(options.Select(o => ", " + o))}";
        }
    }

    /// <summary>The max pooling of an input of shape [N, C, H, W]; the output has shape [N, C, OH, OW].</summary>
    /// <exception cref="ArgumentException">The input is not 4-d, or is too small: a window would hold no input (only padding), or none fits.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return MaxPoolGatherNode<T>.MaxPool(input, GeometryOf(input));
    }

    private ConvGeometry GeometryOf(Tensor<T> input)
    {
        if (input.Rank != 4)
        {
            throw ShapeError($"input has shape {input.Shape}, expected [N, C, H, W]");
        }
        var (height, width) = (input.Shape[2], input.Shape[3]);
        var geometry = new ConvGeometry(input.Shape[0], input.Shape[1], height, width, KernelSize.Height, KernelSize.Width,
            Stride.Height, Stride.Width, Padding.Height, Padding.Height, Padding.Width, Padding.Width, Dilation.Height, Dilation.Width);
        if (geometry.OutHeight <= 0 || geometry.OutWidth <= 0
            || !EveryWindowReachesTheImage(height, geometry.OutHeight, KernelSize.Height, Stride.Height, Padding.Height, Dilation.Height)
            || !EveryWindowReachesTheImage(width, geometry.OutWidth, KernelSize.Width, Stride.Width, Padding.Width, Dilation.Width))
        {
            throw ShapeError($"input {height}×{width} (shape {input.Shape}) is too small: with padding {Padding} a window of the dilated kernel "
                + $"{Dilation.Height * (KernelSize.Height - 1) + 1}×{Dilation.Width * (KernelSize.Width - 1) + 1} would hold no input");
        }
        return geometry;
    }

    /// <summary>Whether every one of the <paramref name="outputs"/> windows along an axis has a tap inside [0, <paramref name="size"/>).</summary>
    private static bool EveryWindowReachesTheImage(int size, int outputs, int kernel, int stride, int padding, int dilation)
    {
        for (int o = 0; o < outputs; o++)
        {
            int start = o * stride - padding;
            bool reaches = false;
            for (int i = 0; i < kernel && !reaches; i++)
            {
                reaches = (uint)(start + i * dilation) < (uint)size;
            }
            if (!reaches)
            {
                return false;
            }
        }
        return true;
    }
}
