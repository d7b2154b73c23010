using System.Numerics;

namespace TinyAutograd.Optim;

/// <summary>Hyper-parameters of <see cref="RmsProp{T}"/>.</summary>
public sealed record RmsPropOptions : OptimizerOptions
{
    /// <summary>Creates the options with ε (η) = 0.001, ρ = 0.9 and δ = 1e−7.</summary>
    public RmsPropOptions()
        : base(0.001)
    {
    }

    /// <summary>ρ, the decay rate of the average of squared gradients (PyTorch's <c>alpha</c>); in [0, 1). Default 0.9.</summary>
    public double Rho { get; set; } = 0.9;

    /// <summary>δ, added to √r (PyTorch's <c>eps</c>, added at the same place). Default 1e−7.</summary>
    public double Delta { get; set; } = 1e-7;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        RequireDecayRate(Rho, nameof(Rho));
        RequirePositive(Delta, nameof(Delta));
    }
}

/// <summary>
/// RMSProp: AdaGrad with a decaying average of squared gradients instead of a sum, so the step does not stall.
/// </summary>
/// <remarks>
/// r ← ρ r + (1 − ρ) g ⊙ g; Δθ = −ε/(δ + √r) ⊙ g; θ ← θ + Δθ (Tieleman &amp; Hinton 2012, with δ outside the root as in PyTorch), with ε the learning rate. Defaults:
/// ε = 0.001, ρ = 0.9, δ = 1e−7 (PyTorch: lr 0.01, alpha 0.99, eps 1e−8). State: buffer <c>"r"</c>.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RmsProp<T> : ElementwiseOptimizer<T, RmsPropOptions>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public RmsProp(IEnumerable<Tensor<T>> parameters, RmsPropOptions? options = null)
        : this([new ParameterGroup<T>(parameters, options ?? new RmsPropOptions())])
    {
    }

    /// <summary>Optimizes several groups, each with its own <see cref="RmsPropOptions"/>.</summary>
    public RmsProp(IEnumerable<ParameterGroup<T>> groups)
        : base(groups)
    {
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, RmsPropOptions options)
    {
        UpdateKernels.SquaredGradientUpdate(parameter, gradient, state.Buffer("r"), options.Rho, options.LearningRate, options.Delta, Scratch(0, parameter.Length));
    }
}
