using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// What <see cref="Conv1d{T}"/> and <see cref="Conv2d{T}"/> share (PyTorch's <c>_ConvNd</c>): channels, groups, the
/// weight [out, in/groups, kernel…] and bias [out] with PyTorch's default initialization, and the computation.
/// </summary>
/// <remarks>
/// <para>
/// y[n, o, p] = b[o] + Σ_{c ∈ group(o), k} W[o, c, k] · x[n, c, p·s − pad + k·d] along each spatial axis, with x zero
/// outside the input. A 1-d convolution over [N, C, L] is the 2-d one over [N, C, 1, L]; both are im2col over the whole
/// batch followed by one matrix product per group (the batch and the output positions forming its wide dimension).
/// Im2col and its adjoint col2im are linear ops recorded like any other, so gradients, JVPs and Hessian-vector products
/// go through. A 2-d 3×3 convolution at stride 1 without dilation or groups, with at least 16 input and output channels
/// and padding of at most 2, is one node instead, run by Winograd's F(2×2, 3×3) forward and for both gradients (2.25
/// times fewer multiplications; it rounds differently from the direct sum, within a few units in the last place of the
/// sum of the terms' magnitudes); higher orders go through the recorded composite.
/// </para>
/// <para>
/// Initialization is PyTorch's: W from kaiming-uniform with a = √5, which is U(−1/√fan_in, 1/√fan_in) with
/// fan_in = in/groups·(kernel elements), then b from U(−1/√fan_in, 1/√fan_in), drawn from the given generator in that order.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Convolution<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Registers and initializes W (of <paramref name="weightShape"/>) and, if the configuration has one, b.</summary>
    private protected Convolution(ConvolutionSpec spec, int[] weightShape, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Spec = spec;
        var weight = RegisterParameter("weight", Tensor.Zeros<T>(weightShape));
        spec.Initialize(weight, spec.HasBias ? RegisterParameter("bias", Tensor.Zeros<T>(spec.OutChannels)) : null, random);
    }

    /// <summary>C, the input's channel count.</summary>
    public int InChannels => Spec.InChannels;

    /// <summary>The output's channel count.</summary>
    public int OutChannels => Spec.OutChannels;

    /// <summary>The number of channel groups: input and output channels split into this many independent convolutions.</summary>
    public int Groups => Spec.Groups;

    /// <summary>Whether the layer adds a bias.</summary>
    public bool HasBias => Spec.HasBias;

    /// <summary>W, of shape [out, in/groups, kernel…].</summary>
    public Tensor<T> Weight => Parameter("weight");

    /// <summary>b, of shape [out], or null without a bias.</summary>
    public Tensor<T>? Bias => HasBias ? Parameter("bias") : null;

    /// <inheritdoc/>
    public override string Description => Spec.Description;

    /// <summary>The configuration in 2-d form.</summary>
    private protected ConvolutionSpec Spec { get; }

    /// <summary>
    /// The convolution of an input of shape [N, C, L] (<see cref="Conv1d{T}"/>) or [N, C, H, W]
    /// (<see cref="Conv2d{T}"/>); the output has shape [N, out, OL] or [N, out, OH, OW].
    /// </summary>
    /// <exception cref="ArgumentException">The input has the wrong rank or channel count, or is smaller than the dilated kernel.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var geometry = Spec.GeometryOf(input.Shape, out string? problem) ?? throw ShapeError(problem!);
        return Spec.Apply(input, geometry, Weight, Bias);
    }
}
