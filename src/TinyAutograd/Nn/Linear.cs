using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>A fully connected layer: y = x·Wᵀ + b, with W of shape [out, in] (PyTorch's <c>nn.Linear</c>).</summary>
/// <remarks>
/// <para>
/// The input has shape [*, in] (any number of leading axes, or none); the output [*, out]. It runs <see cref="Tensor{T}.Linear"/>,
/// which adds the bias to each tile of the product as it is made and uses the matmul
/// transpose flag, so Wᵀ is never copied. Gradients: ∂L/∂x = ∂L/∂y·W, ∂L/∂W = Σ (∂L/∂y)ᵀ·x, ∂L/∂b = Σ ∂L/∂y over the leading axes.
/// </para>
/// <para>
/// Initialization is PyTorch's: W from kaiming-uniform with a = √5, which is U(−1/√in, 1/√in), then b from
/// U(−1/√in, 1/√in), both drawn from the given generator in that order.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Linear<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer with PyTorch's default initialization drawn from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Linear(int inFeatures, int outFeatures, RandomSource random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentNullException.ThrowIfNull(random);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var weight = RegisterParameter("weight", Tensor.Zeros<T>(outFeatures, inFeatures));
        Init.KaimingUniform(weight, random, a: Math.Sqrt(5));
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            Init.Uniform(RegisterParameter("bias", Tensor.Zeros<T>(outFeatures)), -bound, bound, random);
        }
        HasBias = bias;
    }

    /// <summary>The size of the input's last axis.</summary>
    public int InFeatures { get; }

    /// <summary>The size of the output's last axis.</summary>
    public int OutFeatures { get; }

    /// <summary>Whether the layer adds a bias.</summary>
    public bool HasBias { get; }

    /// <summary>W, of shape [out, in].</summary>
    public Tensor<T> Weight => Parameter("weight");

    /// <summary>b, of shape [out], or null without a bias.</summary>
    public Tensor<T>? Bias => HasBias ? Parameter("bias") : null;

    /// <inheritdoc/>
    public override string Description => $"Linear {InFeatures}→{OutFeatures}{(HasBias ? "" : ", no bias")}";

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Shape[^1] != InFeatures)
        {
            throw ShapeError(input.Rank == 0
                ? $"input has shape {input.Shape}, expected [*, {InFeatures}]"
                : $"input has {input.Shape[^1]} features, expected {InFeatures} (input shape {input.Shape})");
        }
        return input.Linear(Weight, Bias);
    }
}
