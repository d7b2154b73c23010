using System.Numerics;
using TinyAutograd.Profiling;

namespace TinyAutograd.Optim;

/// <summary>
/// The base of first-order methods whose update of a parameter depends only on that parameter's gradient and its own
/// memory (gradient descent, momentum, AdaGrad, RMSProp, AdaDelta, Adam, …). Derive from it to try a new rule: override
/// <see cref="Update"/>.
/// </summary>
/// <remarks>
/// <see cref="Step()"/> walks the groups, validates each group's options, skips parameters whose <c>Grad</c> is
/// null, increments each updated parameter's <see cref="ParameterState{T}.Step"/> and calls <see cref="Update"/> with
/// the parameter's values open for writing inside <see cref="GradMode.Disable"/>. Buffers live in
/// <see cref="ParameterState{T}"/> and two scratch spans are shared by all parameters, so steps after the first
/// allocate nothing.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <typeparam name="TOptions">The method's hyper-parameters.</typeparam>
public abstract class ElementwiseOptimizer<T, TOptions> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOptions : OptimizerOptions
{
    private readonly T[][] _scratch;

    /// <summary>Creates the optimizer over parameter groups whose options must all be <typeparamref name="TOptions"/>.</summary>
    /// <exception cref="ArgumentException">A group carries options of another method, or see <see cref="Optimizer{T}"/>.</exception>
    protected ElementwiseOptimizer(IEnumerable<ParameterGroup<T>> groups)
        : base(groups)
    {
        for (int i = 0; i < ParameterGroups.Count; i++)
        {
            var options = ParameterGroups[i].Options;
            if (options is not TOptions)
            {
                throw new ArgumentException(
                    $"{Method}: parameter group {i} carries {options.GetType().Name}; expected {typeof(TOptions).Name}.", nameof(groups));
            }
            options.Validate();
        }
        int longest = Parameters.Max(parameter => parameter.Length);
        _scratch = [new T[longest], new T[longest]];
    }

    /// <summary>The options of the first (often the only) parameter group; changes apply from the next step.</summary>
    public TOptions Options => OptionsOf(0);

    /// <summary>The options of parameter group <paramref name="groupIndex"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    public TOptions OptionsOf(int groupIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(groupIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(groupIndex, ParameterGroups.Count);
        return (TOptions)ParameterGroups[groupIndex].Options;
    }

    /// <inheritdoc/>
    public override void Step()
    {
        using var profiled = RecordingHooks.IsOn ? RecordingHooks.Operation<T>(Method + ".Step") : default;
        using var noRecording = GradMode.Disable();
        var groups = ParameterGroups;
        int index = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            var options = (TOptions)groups[g].Options;
            options.Validate();
            var parameters = groups[g].Parameters;
            for (int p = 0; p < parameters.Count; p++, index++)
            {
                if (parameters[p].Grad is not { } gradient)
                {
                    continue;
                }
                var state = StateOf(index);
                state.Step++;
                Update(parameters[p].GetSpanForWrite(), gradient.Data, state, options);
            }
        }
    }

    /// <summary>Applies the method's rule to one parameter, in place.</summary>
    /// <param name="parameter">θ, to overwrite with the updated values.</param>
    /// <param name="gradient">g = ∂L/∂θ, the same length.</param>
    /// <param name="state">The parameter's memory; <see cref="ParameterState{T}.Step"/> already counts this update.</param>
    /// <param name="options">The hyper-parameters of the parameter's group.</param>
    protected abstract void Update(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, TOptions options);

    /// <summary>Scratch space of <paramref name="length"/> elements (slot 0 or 1), shared by all parameters, not saved.</summary>
    protected Span<T> Scratch(int slot, int length) => _scratch[slot].AsSpan(0, length);

    /// <summary>Converts a double hyper-parameter to the element type.</summary>
    protected static T Constant(double value) => T.CreateTruncating(value);
}
