using System.Numerics;

namespace TinyAutograd.Optim;

/// <summary>Hyper-parameters of <see cref="AdaGrad{T}"/>.</summary>
public sealed record AdaGradOptions : OptimizerOptions
{
    /// <summary>Creates the options with ε (η) = 0.01 and δ = 1e−7.</summary>
    public AdaGradOptions()
        : base(0.01)
    {
    }

    /// <summary>δ, added to √r to avoid dividing by zero (PyTorch's <c>eps</c>, added at the same place). Default 1e−7.</summary>
    public double Delta { get; set; } = 1e-7;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        RequirePositive(Delta, nameof(Delta));
    }
}

/// <summary>
/// AdaGrad: each coordinate's step shrinks with the sum of its squared gradients, so rarely active (sparse) features
/// keep large steps.
/// </summary>
/// <remarks>
/// r ← r + g ⊙ g; Δθ = −ε/(δ + √r) ⊙ g; θ ← θ + Δθ (Duchi, Hazan &amp; Singer 2011), with ε the learning rate. r only grows, so the
/// effective rate eventually stalls. Defaults: ε = 0.01, δ = 1e−7. State: buffer <c>"r"</c>.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdaGrad<T> : ElementwiseOptimizer<T, AdaGradOptions>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public AdaGrad(IEnumerable<Tensor<T>> parameters, AdaGradOptions? options = null)
        : this([new ParameterGroup<T>(parameters, options ?? new AdaGradOptions())])
    {
    }

    /// <summary>Optimizes several groups, each with its own <see cref="AdaGradOptions"/>.</summary>
    public AdaGrad(IEnumerable<ParameterGroup<T>> groups)
        : base(groups)
    {
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, AdaGradOptions options)
    {
        UpdateKernels.SquaredGradientUpdate(parameter, gradient, state.Buffer("r"), rho: null, options.LearningRate, options.Delta, Scratch(0, parameter.Length));
    }
}
