using System.Numerics;

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
public sealed class Conv2d<T> : Convolution<T>
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
        : base(ConvolutionSpec.Create(2, inChannels, outChannels, kernelSize, stride ?? 1, padding, dilation ?? 1, groups, bias),
            [outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width], random)
    {
    }

    /// <summary>kh × kw.</summary>
    public Size2d KernelSize => Spec.Kernel;

    /// <summary>The step between windows.</summary>
    public Size2d Stride => Spec.Stride;

    /// <summary>The zero padding.</summary>
    public Padding2d Padding => Spec.Padding;

    /// <summary>The spacing between kernel taps.</summary>
    public Size2d Dilation => Spec.Dilation;
}
