using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// A 1-d convolution over NCL sequences (PyTorch's <c>nn.Conv1d</c>), with stride, zero padding (including "same"),
/// dilation, groups and an optional bias; weight [out, in/groups, k].
/// </summary>
/// <remarks>
/// <para>
/// y[n, o, t] = b[o] + Σ_{c ∈ group(o), j} W[o, c, j] · x[n, c, t·s − p + j·d], with x zero outside the sequence; the
/// output length is ⌊(L + 2p − d·(k − 1) − 1)/s⌋ + 1. It is the 2-d convolution of <see cref="Conv2d{T}"/> over
/// [N, C, 1, L] with a kernel of height 1 (im2col followed by one batched matrix product per group), so gradients,
/// JVPs and Hessian-vector products go through the same recorded linear ops.
/// </para>
/// <para>
/// Initialization is PyTorch's: W from kaiming-uniform with a = √5, which is U(−1/√fan_in, 1/√fan_in) with
/// fan_in = in/groups·k, then b from U(−1/√fan_in, 1/√fan_in), drawn from the given generator in that order.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Conv1d<T> : Convolution<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer with PyTorch's default initialization drawn from <paramref name="random"/>.</summary>
    /// <param name="inChannels">C, the input's channel count.</param>
    /// <param name="outChannels">The output's channel count.</param>
    /// <param name="kernelSize">k, the kernel's length.</param>
    /// <param name="random">The generator for the initial weights.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zero padding at each end, or "same" (stride 1 only; default 0).</param>
    /// <param name="dilation">The spacing between kernel taps.</param>
    /// <param name="groups">Channel groups: input and output channels split into this many independent convolutions.</param>
    /// <param name="bias">Whether to add a bias per output channel.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or padding is negative.</exception>
    /// <exception cref="ArgumentException">The channels do not divide into the groups, or "same" padding with a stride other than 1.</exception>
    public Conv1d(int inChannels, int outChannels, int kernelSize, RandomSource random, int stride = 1, Padding1d padding = default, int dilation = 1, int groups = 1, bool bias = true)
        : base(ConvolutionSpec.Create(1, inChannels, outChannels, (1, kernelSize), (1, stride), padding.ToPadding2d(), (1, dilation), groups, bias),
            [outChannels, inChannels / groups, kernelSize], random)
    {
    }

    /// <summary>k, the kernel's length.</summary>
    public int KernelSize => Spec.Kernel.Width;

    /// <summary>The step between windows.</summary>
    public int Stride => Spec.Stride.Width;

    /// <summary>The zero padding.</summary>
    public Padding1d Padding => Spec.Padding.IsSame ? Padding1d.Same : Spec.Padding.Width;

    /// <summary>The spacing between kernel taps.</summary>
    public int Dilation => Spec.Dilation.Width;
}
