using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>Hyper-parameters of <see cref="AdaDelta{T}"/>.</summary>
public sealed record AdaDeltaOptions : OptimizerOptions
{
    /// <summary>Creates the options with η = 1 (Zeiler's rule unscaled), ρ = 0.95 and δ = 1e−6 (Zeiler 2012).</summary>
    public AdaDeltaOptions()
        : base(1.0)
    {
    }

    /// <summary>ρ, the decay rate of both running averages; in [0, 1). Default 0.95.</summary>
    public double Rho { get; set; } = 0.95;

    /// <summary>δ, added inside both square roots. Default 1e−6.</summary>
    public double Delta { get; set; } = 1e-6;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        RequireDecayRate(Rho, nameof(Rho));
        RequirePositive(Delta, nameof(Delta));
    }
}

/// <summary>
/// AdaDelta (Zeiler 2012): RMSProp's decaying average of squared gradients, with the step's units restored by a second
/// decaying average of squared updates, so no global learning rate needs tuning.
/// </summary>
/// <remarks>
/// r ← ρ r + (1 − ρ) g ⊙ g; Δθ = −(√(s + δ)/√(r + δ)) ⊙ g; s ← ρ s + (1 − ρ) Δθ ⊙ Δθ; θ ← θ + η Δθ. Here δ sits
/// inside both roots, as in Zeiler's paper (RMS[x] = √(E[x²] + δ)), not outside as in AdaGrad and RMSProp. η is
/// PyTorch's extra multiplier; η = 1 is Zeiler's rule, and s accumulates the unscaled Δθ. Defaults: η = 1, ρ = 0.95,
/// δ = 1e−6 (PyTorch: ρ = 0.9). State: buffers <c>"r"</c> (squared gradients) and <c>"s"</c> (squared updates).
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdaDelta<T> : ElementwiseOptimizer<T, AdaDeltaOptions>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public AdaDelta(IEnumerable<Tensor<T>> parameters, AdaDeltaOptions? options = null)
        : this([new ParameterGroup<T>(parameters, options ?? new AdaDeltaOptions())])
    {
    }

    /// <summary>Optimizes several groups, each with its own <see cref="AdaDeltaOptions"/>.</summary>
    public AdaDelta(IEnumerable<ParameterGroup<T>> groups)
        : base(groups)
    {
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, AdaDeltaOptions options)
    {
        T[] squaredGradients = state.Buffer("r");
        T[] squaredUpdates = state.Buffer("s");
        var delta = Constant(options.Delta);
        foreach (var (start, length) in CachedCalls.Ranges<T>(parameter.Length))
        {
            var p = parameter.Slice(start, length);
            var g = gradient.Slice(start, length);
            var r = squaredGradients.AsSpan(start, length);
            var s = squaredUpdates.AsSpan(start, length);
            var step = Scratch(0, length);
            var work = Scratch(1, length);

            UpdateKernels.Square(g, work);
            UpdateKernels.DecayingAverage<T>(r, work, options.Rho);

            TensorPrimitives.Add(s, delta, step);
            TensorPrimitives.Sqrt(step, step);
            TensorPrimitives.Add(r, delta, work);
            TensorPrimitives.Sqrt(work, work);
            TensorPrimitives.Divide(step, work, step);
            TensorPrimitives.Multiply(step, g, step);

            UpdateKernels.Square(step, work);
            UpdateKernels.DecayingAverage<T>(s, work, options.Rho);
            TensorPrimitives.MultiplyAdd(step, -Constant(options.LearningRate), p, p);
        }
    }
}
