using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>Hyper-parameters of <see cref="AdamW{T}"/>: those of Adam plus the decoupled weight decay λ.</summary>
public sealed record AdamWOptions : AdaptiveMomentOptions
{
    /// <summary>λ, the weight decay applied directly to the parameters (not through the gradient); ≥ 0. Default 0.01.</summary>
    public double WeightDecay { get; set; } = 0.01;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        RequireNonNegative(WeightDecay, nameof(WeightDecay));
    }
}

/// <summary>
/// AdamW (Loshchilov and Hutter 2019): Adam with the weight decay decoupled from the adaptive step, so every weight
/// shrinks at the same relative rate whatever its gradient history.
/// </summary>
/// <remarks>
/// θ ← θ − ελθ, then the Adam step of <see cref="Adam{T}"/> (the decay is not added to g, so it never enters s or r).
/// Defaults: ε = 0.001, ρ₁ = 0.9, ρ₂ = 0.999, δ = 1e−8, λ = 0.01 (as PyTorch). State: as <see cref="Adam{T}"/>.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdamW<T> : ElementwiseOptimizer<T, AdamWOptions>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public AdamW(IEnumerable<Tensor<T>> parameters, AdamWOptions? options = null)
        : this([new ParameterGroup<T>(parameters, options ?? new AdamWOptions())])
    {
    }

    /// <summary>Optimizes several groups, each with its own <see cref="AdamWOptions"/>.</summary>
    public AdamW(IEnumerable<ParameterGroup<T>> groups)
        : base(groups)
    {
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, AdamWOptions options)
    {
        // Decoupled decay θ ← θ − ηλ·θ: a descent step along θ itself, in the calls that keep θ cached for the Adam step.
        OptimizerKernels.AddScaled<T>(parameter, parameter, Constant(-options.LearningRate * options.WeightDecay));
        AdamKernel.Apply(parameter, gradient, state, options);
    }
}
