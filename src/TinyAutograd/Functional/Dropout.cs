namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Inverted dropout (Srivastava et al., 2014): zeroes each element with probability <paramref name="probability"/>
    /// and scales the rest by 1/(1 − p), drawing the mask from <paramref name="random"/>.
    /// </summary>
    /// <remarks>
    /// y = x ⊙ m with mᵢ = 0 with probability p, else 1/(1 − p); ∂L/∂x = ∂L/∂y ⊙ m. With p = 0 the input is returned
    /// unchanged (no draw); with p = 1 the output is all zeros. The mask is a constant, so gradients of every order
    /// follow from the product's.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1].</exception>
    public Tensor<T> Dropout(double probability, RandomSource random)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout: the probability must lie in [0, 1].");
        }
        ArgumentNullException.ThrowIfNull(random);
        if (probability == 0)
        {
            return this;
        }
        T kept = probability == 1 ? T.Zero : T.One / T.CreateTruncating(1 - probability);
        var mask = new T[Length];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextDouble() < probability ? T.Zero : kept;
        }
        return this * Tensor.FromArray(mask).Reshape(Shape);
    }
}
