using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// Layer normalization (Ba, Kiros and Hinton, 2016): normalizes over the trailing axes given by the normalized shape,
/// then scales and shifts elementwise (PyTorch's <c>nn.LayerNorm</c>).
/// </summary>
/// <remarks>
/// y = (x − μ)/√(σ² + ε) ⊙ γ + β, with μ and σ² the mean and the biased variance over the normalized axes of each
/// sample; γ (<c>weight</c>, starts at 1) and β (<c>bias</c>, at 0) have the normalized shape. The normalization is
/// one node whose gradient and tangent are written in differentiable ops, so its gradients of every order follow; the
/// affine step is a product and a sum.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LayerNorm<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _normalizedShape;
    private readonly int[] _axes;

    /// <summary>Normalizes over trailing axes of shape <paramref name="normalizedShape"/>.</summary>
    /// <exception cref="ArgumentException">The shape is empty or has a non-positive size, or ε is negative.</exception>
    public LayerNorm(int[] normalizedShape, double epsilon = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(size => size <= 0))
        {
            throw new ArgumentException($"LayerNorm: the normalized shape [{string.Join(", ", normalizedShape)}] must be non-empty with positive sizes.", nameof(normalizedShape));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        _normalizedShape = [.. normalizedShape];
        _axes = [.. Enumerable.Range(0, normalizedShape.Length).Select(axis => axis - normalizedShape.Length)];
        Epsilon = epsilon;
        HasAffine = elementwiseAffine;
        if (elementwiseAffine)
        {
            RegisterParameter("weight", Tensor.Ones<T>(normalizedShape));
            RegisterParameter("bias", Tensor.Zeros<T>(normalizedShape));
        }
    }

    /// <summary>Normalizes over the last axis, of size <paramref name="features"/>.</summary>
    public LayerNorm(int features, double epsilon = 1e-5, bool elementwiseAffine = true)
        : this([features], epsilon, elementwiseAffine)
    {
    }

    /// <summary>ε ≥ 0, added to the variance (0 divides by zero on a constant slice).</summary>
    public double Epsilon { get; }

    /// <summary>Whether γ and β are learned.</summary>
    public bool HasAffine { get; }

    /// <summary>The shape of the normalized trailing axes.</summary>
    public IReadOnlyList<int> NormalizedShape => _normalizedShape;

    /// <inheritdoc/>
    public override string Description => $"LayerNorm [{string.Join(", ", _normalizedShape)}]";

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < _normalizedShape.Length || !input.Shape.Dimensions[^_normalizedShape.Length..].SequenceEqual(_normalizedShape))
        {
            throw ShapeError($"input has shape {input.Shape}, expected trailing axes [*, {string.Join(", ", _normalizedShape)}]");
        }
        return HasAffine
            ? LayerNormalizeNode<T>.Apply(input, Parameter("weight"), Parameter("bias"), _axes, Epsilon)
            : LayerNormalizeNode<T>.Apply(input, null, null, _axes, Epsilon);
    }
}
