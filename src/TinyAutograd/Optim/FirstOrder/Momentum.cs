using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>The two equivalent ways of writing the momentum update (Polyak 1964).</summary>
public enum MomentumForm
{
    /// <summary>
    /// update ← γ·update + η g; θ ← θ − update. Memory: buffer <c>"update"</c>.
    /// </summary>
    Update,

    /// <summary>
    /// v ← α v − ε g; θ ← θ + v (α = γ the momentum, ε = η the learning rate). Memory: buffer <c>"velocity"</c>,
    /// which always equals −update of the other form.
    /// </summary>
    Velocity,
}

/// <summary>Hyper-parameters of <see cref="Momentum{T}"/>.</summary>
public sealed record MomentumOptions : OptimizerOptions
{
    /// <summary>Creates the options with η = 0.01, γ = 0.9, the update form.</summary>
    public MomentumOptions()
        : base(0.01)
    {
    }

    /// <summary>γ (α in the velocity form): how much of the previous update carries over; in [0, 1). Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Which of the two equivalent forms to compute. Default <see cref="MomentumForm.Update"/>.</summary>
    public MomentumForm Form { get; set; } = MomentumForm.Update;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        RequireDecayRate(Momentum, nameof(Momentum));
    }
}

/// <summary>
/// Gradient descent with momentum (the heavy ball): the step is an exponentially weighted sum of all past gradients,
/// so it gathers speed on gentle slopes and damps zig-zags across narrow valleys.
/// </summary>
/// <remarks>
/// <para>Update form: update_t = γ·update_{t−1} + η∇L(θ_t); θ_{t+1} = θ_t − update_t; update_0 = 0.</para>
/// <para>Velocity form: v ← αv − εg; θ ← θ + v. With α = γ and ε = η, v = −update at every step, even when η
/// changes between steps, and both forms round identically (negation is exact), so they give bit-identical
/// parameters. Defaults: η = 0.01, γ = 0.9. State: buffer <c>"update"</c> or <c>"velocity"</c>.</para>
/// <para>Unlike PyTorch's SGD (v ← γv + g; θ ← θ − ηv), η multiplies each gradient as it enters the sum, as in
/// Sutskever et al. 2013; the two agree while η is constant.</para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Momentum<T> : ElementwiseOptimizer<T, MomentumOptions>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public Momentum(IEnumerable<Tensor<T>> parameters, MomentumOptions? options = null)
        : this([new ParameterGroup<T>(parameters, options ?? new MomentumOptions())])
    {
    }

    /// <summary>Optimizes several groups, each with its own <see cref="MomentumOptions"/>.</summary>
    public Momentum(IEnumerable<ParameterGroup<T>> groups)
        : base(groups)
    {
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, MomentumOptions options)
    {
        var gamma = Constant(options.Momentum);
        var eta = Constant(options.LearningRate);
        bool updateForm = options.Form == MomentumForm.Update;
        T[] memory = state.Buffer(updateForm ? "update" : "velocity");
        foreach (var (start, length) in CachedCalls.Ranges<T>(parameter.Length))
        {
            var p = parameter.Slice(start, length);
            var g = gradient.Slice(start, length);
            var m = memory.AsSpan(start, length);
            TensorPrimitives.Multiply(m, gamma, m);
            if (updateForm)
            {
                TensorPrimitives.MultiplyAdd(g, eta, m, m);
                TensorPrimitives.Subtract(p, m, p);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(g, -eta, m, m);
                TensorPrimitives.Add(p, m, p);
            }
        }
    }
}
