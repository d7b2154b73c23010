using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// Inverted dropout (Srivastava et al., 2014): in training, zeroes each element with probability p and scales the
/// rest by 1/(1 − p); in evaluation, the identity (PyTorch's <c>nn.Dropout</c>).
/// </summary>
/// <remarks>
/// y = x ⊙ m with mᵢ = 0 with probability p, else 1/(1 − p), drawn from the layer's own generator at every training
/// forward pass, so a run is reproducible from its seed; ∂L/∂x = ∂L/∂y ⊙ m. With p = 1 the output is all zeros.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Dropout<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RandomSource _random;

    /// <summary>Drops with probability <paramref name="probability"/>, drawing masks from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1].</exception>
    public Dropout(double probability, RandomSource random)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout: the probability must lie in [0, 1].");
        }
        ArgumentNullException.ThrowIfNull(random);
        Probability = probability;
        _random = random;
    }

    /// <summary>Drops with probability <paramref name="probability"/>, with masks from a generator seeded with <paramref name="seed"/>.</summary>
    public Dropout(double probability, ulong seed)
        : this(probability, new RandomSource(seed))
    {
    }

    /// <summary>The probability p of zeroing an element.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public override string Description => $"Dropout p={Probability.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return IsTraining ? input.Dropout(Probability, _random) : input;
    }
}
