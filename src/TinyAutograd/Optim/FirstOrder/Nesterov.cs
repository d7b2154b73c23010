using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>How <see cref="Nesterov{T}"/> obtains the look-ahead gradient.</summary>
public enum NesterovForm
{
    /// <summary>
    /// Nesterov's method written literally (Sutskever et al. 2013): the parameters hold w_t; each step moves them to the look-ahead point
    /// w_t − γ·update_{t−1}, calls the closure there for the gradient, moves them back and applies the update. Needs
    /// <see cref="Optimizer{T}.Step(Func{Tensor{T}})"/>.
    /// </summary>
    LookAhead,

    /// <summary>
    /// The usual reformulation (Sutskever et al. 2013; PyTorch's <c>nesterov=True</c>): the parameters hold the
    /// look-ahead point φ_t = w_t − γ·update_{t−1} itself, so the ordinary gradient is the look-ahead gradient and
    /// <see cref="Optimizer{T}.Step()"/> suffices: update ← γ·update + η g; φ ← φ − (γ·update + η g). The true
    /// position is w = φ + γ·update.
    /// </summary>
    Reformulated,
}

/// <summary>Hyper-parameters of <see cref="Nesterov{T}"/>.</summary>
public sealed record NesterovOptions : OptimizerOptions
{
    /// <summary>Creates the options with η = 0.01, γ = 0.9, the look-ahead form.</summary>
    public NesterovOptions()
        : base(0.01)
    {
    }

    /// <summary>γ: how much of the previous update carries over; in [0, 1). Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>How the look-ahead gradient is obtained. Default <see cref="NesterovForm.LookAhead"/>.</summary>
    public NesterovForm Form { get; set; } = NesterovForm.LookAhead;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        RequireDecayRate(Momentum, nameof(Momentum));
    }
}

/// <summary>
/// Nesterov accelerated gradient, "look before you leap": momentum whose gradient is taken where the momentum is about
/// to carry the parameters, which damps the overshoot of plain momentum.
/// </summary>
/// <remarks>
/// <para>
/// w_look = w_t − γ·update_{t−1}; update_t = γ·update_{t−1} + η∇L(w_look); w_{t+1} = w_t − update_t (Nesterov 1983, in the momentum form of Sutskever et al. 2013).
/// </para>
/// <para>
/// With <see cref="NesterovForm.LookAhead"/> (default) this is computed literally and needs the closure form of
/// <c>Step</c>; the returned loss is L(w_look). With <see cref="NesterovForm.Reformulated"/> the parameters hold
/// φ_t = w_t − γ·update_{t−1} and the plain <c>Step()</c> applies update ← γ·update + η g(φ);
/// φ ← φ − (γ·update + η g): the same trajectory, shifted to the look-ahead points. Defaults: η = 0.01, γ = 0.9.
/// State: buffer <c>"update"</c> in both forms.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Nesterov<T> : ElementwiseOptimizer<T, NesterovOptions>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]?[] _positions;

    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public Nesterov(IEnumerable<Tensor<T>> parameters, NesterovOptions? options = null)
        : this([new ParameterGroup<T>(parameters, options ?? new NesterovOptions())])
    {
    }

    /// <summary>Optimizes several groups, each with its own <see cref="NesterovOptions"/>.</summary>
    public Nesterov(IEnumerable<ParameterGroup<T>> groups)
        : base(groups) => _positions = new T[Parameters.Count][];

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">A group uses <see cref="NesterovForm.LookAhead"/>, which needs the closure form.</exception>
    public override void Step()
    {
        if (UsesLookAhead())
        {
            throw new InvalidOperationException(
                "Nesterov.Step(): the look-ahead form must evaluate the gradient at w − γ·update, so it needs the loss: call Step(closure), " +
                "or choose NesterovForm.Reformulated to step from the gradient already in Grad.");
        }
        base.Step();
    }

    /// <summary>
    /// One Nesterov step; in the look-ahead form, calls <paramref name="closure"/> at w − γ·update and returns that loss.
    /// </summary>
    /// <inheritdoc/>
    public override Tensor<T> Step(Func<Tensor<T>> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        MoveToLookAhead();
        Tensor<T> loss;
        try
        {
            loss = Evaluate(closure);
        }
        finally
        {
            MoveBack();
        }
        base.Step();
        return loss;
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, NesterovOptions options)
    {
        var gamma = Constant(options.Momentum);
        var eta = Constant(options.LearningRate);
        T[] memory = state.Buffer("update");
        foreach (var (start, length) in CachedCalls.Ranges<T>(parameter.Length))
        {
            var p = parameter.Slice(start, length);
            var g = gradient.Slice(start, length);
            var update = memory.AsSpan(start, length);
            TensorPrimitives.Multiply(update, gamma, update);
            TensorPrimitives.MultiplyAdd(g, eta, update, update);
            if (options.Form == NesterovForm.LookAhead)
            {
                TensorPrimitives.Subtract(p, update, p);
                continue;
            }
            var step = Scratch(0, length);
            TensorPrimitives.Multiply(update, gamma, step);
            TensorPrimitives.MultiplyAdd(g, eta, step, step);
            TensorPrimitives.Subtract(p, step, p);
        }
    }

    private bool UsesLookAhead()
    {
        for (int g = 0; g < ParameterGroups.Count; g++)
        {
            if (OptionsOf(g).Form == NesterovForm.LookAhead)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Saves w and moves the look-ahead groups' parameters to w − γ·update.</summary>
    private void MoveToLookAhead()
    {
        using var noRecording = GradMode.Disable();
        ForEachLookAheadParameter((index, parameter, options) =>
        {
            var position = _positions[index] ??= new T[parameter.Length];
            var values = parameter.GetSpanForWrite();
            values.CopyTo(position);
            OptimizerKernels.AddScaled<T>(values, StateOf(index).Buffer("update"), -Constant(options.Momentum));
        });
    }

    /// <summary>Restores w exactly (a copy, not a subtraction, so no rounding creeps in).</summary>
    private void MoveBack()
    {
        using var noRecording = GradMode.Disable();
        ForEachLookAheadParameter((index, parameter, _) => _positions[index].AsSpan().CopyTo(parameter.GetSpanForWrite()));
    }

    private void ForEachLookAheadParameter(Action<int, Tensor<T>, NesterovOptions> action)
    {
        int index = 0;
        foreach (var group in ParameterGroups)
        {
            var options = (NesterovOptions)group.Options;
            foreach (var parameter in group.Parameters)
            {
                if (options.Form == NesterovForm.LookAhead)
                {
                    action(index, parameter, options);
                }
                index++;
            }
        }
    }
}
