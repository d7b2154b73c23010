using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd.Nn;

/// <summary>
/// A 2-d convolution over NCHW images (PyTorch's <c>nn.Conv2d</c>), with stride, zero padding (including "same"),
/// dilation, groups and an optional bias; weight [out, in/groups, kh, kw].
/// </summary>
/// <remarks>
/// <para>
/// y[n, o, p, q] = b[o] + Σ_{c ∈ group(o), i, j} W[o, c, i, j] · x[n, c, p·sh − ph + i·dh, q·sw − pw + j·dw], with x
/// zero outside the image. It is computed as im2col followed by one batched matrix product per group; im2col and its
/// adjoint col2im are linear ops recorded like any other, so gradients, JVPs and Hessian-vector products go through.
/// </para>
/// <para>
/// Initialization is PyTorch's: W from kaiming-uniform with a = √5, which is U(−1/√fan_in, 1/√fan_in) with
/// fan_in = in/groups·kh·kw, then b from U(−1/√fan_in, 1/√fan_in), drawn from the given generator in that order.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Conv2d<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer with PyTorch's default initialization drawn from <paramref name="random"/>.</summary>
    /// <param name="inChannels">C, the input's channel count.</param>
    /// <param name="outChannels">The output's channel count.</param>
    /// <param name="kernelSize">kh × kw (an int means square).</param>
    /// <param name="random">The generator for the initial weights.</param>
    /// <param name="stride">The step between windows (default 1).</param>
    /// <param name="padding">Zero padding per side, or "same" (stride 1 only; default 0).</param>
    /// <param name="dilation">The spacing between kernel taps (default 1).</param>
    /// <param name="groups">Channel groups: input and output channels split into this many independent convolutions.</param>
    /// <param name="bias">Whether to add a bias per output channel.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or padding is negative.</exception>
    /// <exception cref="ArgumentException">The channels do not divide into the groups, or "same" padding with a stride other than 1.</exception>
    public Conv2d(int inChannels, int outChannels, Size2d kernelSize, RandomSource random, Size2d? stride = null, Padding2d padding = default, Size2d? dilation = null, int groups = 1, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        ArgumentNullException.ThrowIfNull(random);
        kernelSize.RequirePositive(nameof(kernelSize));
        Stride = stride ?? 1;
        Dilation = dilation ?? 1;
        Stride.RequirePositive(nameof(stride));
        Dilation.RequirePositive(nameof(dilation));
        if (padding.Height < 0 || padding.Width < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), $"Conv2d: padding is {padding}; expected non-negative sizes.");
        }
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Conv2d {inChannels}→{outChannels}: {groups} groups must divide both channel counts.", nameof(groups));
        }
        if (padding.IsSame && Stride != new Size2d(1, 1))
        {
            throw new ArgumentException($"Conv2d {inChannels}→{outChannels}: \"same\" padding needs stride 1, got stride {Stride}.", nameof(padding));
        }
        (InChannels, OutChannels, KernelSize, Padding, Groups, HasBias) = (inChannels, outChannels, kernelSize, padding, groups, bias);
        var weight = RegisterParameter("weight", Tensor.Zeros<T>(outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width));
        Init.KaimingUniform(weight, random, a: Math.Sqrt(5));
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inChannels / groups * kernelSize.Height * kernelSize.Width);
            Init.Uniform(RegisterParameter("bias", Tensor.Zeros<T>(outChannels)), -bound, bound, random);
        }
    }

    /// <summary>C, the input's channel count.</summary>
    public int InChannels { get; }

    /// <summary>The output's channel count.</summary>
    public int OutChannels { get; }

    /// <summary>kh × kw.</summary>
    public Size2d KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public Size2d Stride { get; }

    /// <summary>The zero padding.</summary>
    public Padding2d Padding { get; }

    /// <summary>The spacing between kernel taps.</summary>
    public Size2d Dilation { get; }

    /// <summary>The number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>Whether the layer adds a bias.</summary>
    public bool HasBias { get; }

    /// <summary>W, of shape [out, in/groups, kh, kw].</summary>
    public Tensor<T> Weight => Parameter("weight");

    /// <summary>b, of shape [out], or null without a bias.</summary>
    public Tensor<T>? Bias => HasBias ? Parameter("bias") : null;

    /// <inheritdoc/>
    public override string Description
    {
        get
        {
            var options = new List<string>();
            if (Stride != new Size2d(1, 1)) options.Add($"stride {Stride}");
            if (Padding != default) options.Add($"padding {Padding}");
            if (Dilation != new Size2d(1, 1)) options.Add($"dilation {Dilation}");
            if (Groups != 1) options.Add($"groups {Groups}");
            if (!HasBias) options.Add("no bias");
            return $"Conv2d {InChannels}→{OutChannels}, {KernelSize.Height}×{KernelSize.Width}{string.Concat(options.Select(o => ", " + o))}";
        }
    }

    /// <summary>The convolution of an input of shape [N, C, H, W]; the output has shape [N, out, OH, OW].</summary>
    /// <exception cref="ArgumentException">The input is not 4-d, has the wrong channel count, or is smaller than the dilated kernel.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var geometry = GeometryOf(input);
        int perGroup = InChannels / Groups * KernelSize.Height * KernelSize.Width;
        var columns = Im2colNode<T>.Apply(input, geometry)
            .Reshape(geometry.Batch, Groups, perGroup, geometry.Positions);
        var output = Weight.Reshape(Groups, OutChannels / Groups, perGroup).MatMul(columns)
            .Reshape(geometry.Batch, OutChannels, geometry.OutHeight, geometry.OutWidth);
        return HasBias ? output + Parameter("bias").Reshape(OutChannels, 1, 1) : output;
    }

    private ConvGeometry GeometryOf(Tensor<T> input)
    {
        if (input.Rank != 4)
        {
            throw ShapeError($"input has shape {input.Shape}, expected [N, {InChannels}, H, W]");
        }
        if (input.Shape[1] != InChannels)
        {
            throw ShapeError($"input has {input.Shape[1]} channels, expected {InChannels} (input shape {input.Shape})");
        }
        var (top, bottom) = Padding.Along(heightAxis: true, KernelSize.Height, Dilation.Height);
        var (left, right) = Padding.Along(heightAxis: false, KernelSize.Width, Dilation.Width);
        var geometry = new ConvGeometry(input.Shape[0], InChannels, input.Shape[2], input.Shape[3], KernelSize.Height, KernelSize.Width,
            Stride.Height, Stride.Width, top, bottom, left, right, Dilation.Height, Dilation.Width);
        if (geometry.OutHeight <= 0 || geometry.OutWidth <= 0)
        {
            throw ShapeError($"input {input.Shape[2]}×{input.Shape[3]} with padding {Padding} is smaller than the dilated kernel "
                + $"{Dilation.Height * (KernelSize.Height - 1) + 1}×{Dilation.Width * (KernelSize.Width - 1) + 1}");
        }
        return geometry;
    }
}
