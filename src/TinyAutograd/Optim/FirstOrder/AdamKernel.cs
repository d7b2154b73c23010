using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Optim;

/// <summary>The Adam step with bias correction, shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>.</summary>
internal static class AdamKernel
{
    /// <summary>
    /// s ← ρ₁s + (1 − ρ₁)g; r ← ρ₂r + (1 − ρ₂)g ⊙ g; (AMSGrad: r_max ← max(r_max, r), used for r);
    /// ŝ = s/(1 − ρ₁ᵗ); r̂ = r/(1 − ρ₂ᵗ); θ ← θ − ε ŝ/(√r̂ + δ).
    /// </summary>
    public static void Apply<T>(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, AdaptiveMomentOptions options, Span<T> scratch0, Span<T> scratch1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> s = state.Buffer("s");
        Span<T> r = state.Buffer("r");
        UpdateKernels.DecayingAverage<T>(s, gradient, options.Beta1);
        UpdateKernels.Square(gradient, scratch0);
        UpdateKernels.DecayingAverage<T>(r, scratch0, options.Beta2);
        Span<T> secondMoment = r;
        if (options.AmsGrad)
        {
            secondMoment = state.Buffer("rMax");
            TensorPrimitives.Max(secondMoment, r, secondMoment);
        }

        double t = state.Step;
        var firstCorrection = T.CreateTruncating(1 - Math.Pow(options.Beta1, t));
        var secondCorrection = T.CreateTruncating(1 - Math.Pow(options.Beta2, t));
        var denominator = scratch0;
        TensorPrimitives.Divide(secondMoment, secondCorrection, denominator);
        TensorPrimitives.Sqrt(denominator, denominator);
        TensorPrimitives.Add(denominator, T.CreateTruncating(options.Delta), denominator);
        var ratio = scratch1;
        TensorPrimitives.Divide(s, firstCorrection, ratio);
        TensorPrimitives.Divide(ratio, denominator, ratio);
        TensorPrimitives.MultiplyAdd(ratio, T.CreateTruncating(-options.LearningRate), parameter, parameter);
    }
}
