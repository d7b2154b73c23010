using System.Numerics;

namespace TinyAutograd.Optim;

/// <summary>Hyper-parameters of <see cref="Adam{T}"/>: see <see cref="AdaptiveMomentOptions"/>.</summary>
public sealed record AdamOptions : AdaptiveMomentOptions;

/// <summary>
/// Adam (adaptive moment estimation): momentum on the gradient (first moment) divided by the root of a decaying
/// average of its square (second moment), both corrected for their zero start.
/// </summary>
/// <remarks>
/// t ← t + 1; s ← ρ₁s + (1 − ρ₁)g; r ← ρ₂r + (1 − ρ₂)g ⊙ g; ŝ = s/(1 − ρ₁ᵗ); r̂ = r/(1 − ρ₂ᵗ);
/// Δθ = −ε ŝ/(√r̂ + δ); θ ← θ + Δθ (Kingma &amp; Ba 2015, Algorithm 1). With <see cref="AdaptiveMomentOptions.AmsGrad"/>:
/// r_max ← max(r_max, r) and r̂ = r_max/(1 − ρ₂ᵗ) (PyTorch's placement). Defaults: ε = 0.001, ρ₁ = 0.9, ρ₂ = 0.999,
/// δ = 1e−8. State: buffers <c>"s"</c>, <c>"r"</c> (and <c>"rMax"</c>), and t = <see cref="ParameterState{T}.Step"/>.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Adam<T> : ElementwiseOptimizer<T, AdamOptions>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public Adam(IEnumerable<Tensor<T>> parameters, AdamOptions? options = null)
        : this([new ParameterGroup<T>(parameters, options ?? new AdamOptions())])
    {
    }

    /// <summary>Optimizes several groups, each with its own <see cref="AdamOptions"/>.</summary>
    public Adam(IEnumerable<ParameterGroup<T>> groups)
        : base(groups)
    {
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, AdamOptions options) =>
        AdamKernel.Apply(parameter, gradient, state, options);
}
