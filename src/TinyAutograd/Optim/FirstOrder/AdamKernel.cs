using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>The Adam step with bias correction, shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>.</summary>
internal static class AdamKernel
{
    /// <summary>
    /// s ← ρ₁s + (1 − ρ₁)g; r ← ρ₂r + (1 − ρ₂)g ⊙ g; (AMSGrad: r_max ← max(r_max, r), used for r);
    /// ŝ = s/(1 − ρ₁ᵗ); r̂ = r/(1 − ρ₂ᵗ); θ ← θ − ε ŝ/(√r̂ + δ).
    /// </summary>
    public static void Apply<T>(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, AdaptiveMomentOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double t = state.Step;
        var coefficients = new AdamCoefficients<T>(
            T.CreateTruncating(options.Beta1), T.CreateTruncating(1 - options.Beta1),
            T.CreateTruncating(options.Beta2), T.CreateTruncating(1 - options.Beta2),
            T.CreateTruncating(1 - Math.Pow(options.Beta1, t)), T.CreateTruncating(1 - Math.Pow(options.Beta2, t)),
            T.CreateTruncating(options.Delta), T.CreateTruncating(-options.LearningRate));
        OptimizerKernels.AdamStep(parameter, gradient, state.Buffer("s"), state.Buffer("r"), options.AmsGrad ? state.Buffer("rMax") : [], coefficients);
    }
}
