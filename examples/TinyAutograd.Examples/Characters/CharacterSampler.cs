using System.Numerics;

namespace TinyAutograd.Examples.Characters;

/// <summary>Draws the next character id from a model's logits at a temperature.</summary>
/// <remarks>p(i) = exp(zᵢ/τ) / Σⱼ exp(zⱼ/τ): τ = 1 samples the model's distribution, τ → 0 approaches the arg-max
/// (τ = 0 takes it exactly), τ &gt; 1 flattens it. The maximum is subtracted before exponentiating, for stability.</remarks>
internal static class CharacterSampler
{
    /// <summary>A character id drawn from softmax(<paramref name="logits"/> / <paramref name="temperature"/>).</summary>
    /// <exception cref="ArgumentException">The logits are empty, or the temperature is negative or not finite.</exception>
    public static int Sample<T>(ReadOnlySpan<T> logits, double temperature, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        if (logits.IsEmpty)
        {
            throw new ArgumentException("character sampler: no logits to sample from.", nameof(logits));
        }
        if (!double.IsFinite(temperature) || temperature < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "character sampler: the temperature must be finite and at least 0.");
        }
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            best = logits[i] > logits[best] ? i : best;
        }
        if (temperature == 0)
        {
            return best;
        }
        double maximum = double.CreateChecked(logits[best]);
        var weights = new double[logits.Length];
        double total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            weights[i] = Math.Exp((double.CreateChecked(logits[i]) - maximum) / temperature);
            total += weights[i];
        }
        double draw = random.NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            draw -= weights[i];
            if (draw < 0)
            {
                return i;
            }
        }
        return best;
    }
}
