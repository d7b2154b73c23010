using System.Numerics;

namespace TinyAutograd.Optim;

/// <summary>
/// The contract every optimizer follows, in the PyTorch habit: parameter groups with their own hyper-parameters,
/// <see cref="ZeroGrad"/>, <see cref="Step()"/> from each parameter's <c>Grad</c>, a closure form
/// <see cref="Step(Func{Tensor{T}})"/> for methods that re-evaluate the loss, and state that can be saved and loaded.
/// </summary>
/// <remarks>
/// <para>
/// The hand-written loop: <c>optimizer.ZeroGrad(); var loss = Model(x); loss.Backward(); optimizer.Step();</c>.
/// With a closure (required by Nesterov's true look-ahead, L-BFGS and Newton-CG, accepted by all):
/// <c>optimizer.Step(() =&gt; { optimizer.ZeroGrad(); var loss = Model(x); loss.Backward(); return loss; });</c>.
/// The closure must zero the gradients, recompute the loss from the parameters' current values, call
/// <c>Backward</c> and return the loss; the optimizer may call it several times per step.
/// </para>
/// <para>
/// Parameters are updated in place through <see cref="Tensor{T}.GetSpanForWrite"/> inside
/// <see cref="GradMode.Disable"/>, which bumps their <see cref="Tensor{T}.Version"/>: a graph recorded before the step
/// refuses to run backward afterwards instead of returning stale gradients.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Optimizer<T> : ILearningRateTarget
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterGroup<T>[] _groups;
    private readonly Tensor<T>[] _parameters;
    private readonly ParameterState<T>[] _states;
    private readonly string?[] _names;

    /// <summary>Takes ownership of the parameter groups and creates an empty state for every parameter.</summary>
    /// <exception cref="ArgumentException">
    /// There are no groups or no parameters, a parameter appears twice, a parameter is the result of a recorded
    /// operation rather than a leaf, or it does not require grad (it would never get a gradient).
    /// </exception>
    protected Optimizer(IEnumerable<ParameterGroup<T>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = [.. groups];
        if (_groups.Length == 0 || _groups.Any(group => group is null))
        {
            throw new ArgumentException($"{Method}: expected at least one parameter group, and no null groups.", nameof(groups));
        }
        _parameters = [.. _groups.SelectMany(group => group.Parameters)];
        if (_parameters.Length == 0)
        {
            throw new ArgumentException($"{Method}: the parameter list is empty; give the tensors to optimize.", nameof(groups));
        }
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (!seen.Add(parameter))
            {
                throw new ArgumentException($"{Method}: parameter {i} ({parameter.Describe()}) appears more than once; each parameter may belong to one group only.", nameof(groups));
            }
            if (!parameter.IsLeaf)
            {
                throw new ArgumentException($"{Method}: parameter {i} ({parameter.Describe()}) is the result of a recorded operation; only leaves can be optimized.", nameof(groups));
            }
            if (!parameter.RequiresGrad)
            {
                throw new ArgumentException(
                    $"{Method}: parameter {i} ({parameter.Describe()}) does not require grad, so backward never gives it a gradient and it would never change; call RequireGrad() on it or leave it out.",
                    nameof(groups));
            }
        }
        _states = [.. _parameters.Select(parameter => new ParameterState<T>(parameter.Length))];
        _names = [.. _groups.SelectMany(group => group.Names ?? (IEnumerable<string?>)new string?[group.Parameters.Count])];
        var duplicate = _names.OfType<string>().GroupBy(name => name, StringComparer.Ordinal).FirstOrDefault(names => names.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{Method}: the parameter name '{duplicate.Key}' is given more than once; names identify saved state.", nameof(groups));
        }
    }

    /// <summary>
    /// The parameters' names (null for one given without a name), in <see cref="Parameters"/> order. When every
    /// parameter has a name, saved state is matched by name on loading.
    /// </summary>
    public IReadOnlyList<string?> ParameterNames => _names;

    /// <summary>The method's name, as used in messages and in <see cref="OptimizerState.Method"/> (e.g. <c>"Adam"</c>).</summary>
    public string Method
    {
        get
        {
            string name = GetType().Name;
            int tick = name.IndexOf('`', StringComparison.Ordinal);
            return tick < 0 ? name : name[..tick];
        }
    }

    /// <summary>The parameter groups, in the order given.</summary>
    public IReadOnlyList<ParameterGroup<T>> ParameterGroups => _groups;

    /// <summary>Every parameter of every group, groups in order: the index used by <see cref="StateOf"/> and by saved state.</summary>
    public IReadOnlyList<Tensor<T>> Parameters => _parameters;

    /// <summary>The learning rate η of the first group; setting it sets every group's (what schedules do).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double LearningRate
    {
        get => _groups[0].LearningRate;
        set
        {
            foreach (var group in _groups)
            {
                group.LearningRate = value;
            }
        }
    }

    /// <summary>
    /// Clears every parameter's gradient (sets <c>Grad</c> to null) with <see cref="Tensor{T}.ZeroGrad"/>, which recycles the
    /// buffers that backward made, so a steady training loop allocates no gradient buffers.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>Applies one update from the gradients in each parameter's <c>Grad</c>; parameters whose <c>Grad</c> is null are skipped.</summary>
    /// <exception cref="InvalidOperationException">The method needs to re-evaluate the loss: call <see cref="Step(Func{Tensor{T}})"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    public abstract void Step();

    /// <summary>
    /// Applies one update, calling <paramref name="closure"/> to (re-)evaluate the loss and its gradient, and returns the
    /// loss of the first evaluation. The base form calls the closure once, then <see cref="Step()"/>.
    /// </summary>
    /// <param name="closure">Zeroes the gradients, recomputes the loss, calls <c>Backward</c>, returns the loss.</param>
    /// <exception cref="InvalidOperationException">The closure returned a tensor that is not a single element.</exception>
    public virtual Tensor<T> Step(Func<Tensor<T>> closure)
    {
        var loss = Evaluate(closure);
        Step();
        return loss;
    }

    /// <summary>The memory kept for parameter <paramref name="parameterIndex"/> (an index into <see cref="Parameters"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    public ParameterState<T> StateOf(int parameterIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameterIndex, _states.Length);
        return _states[parameterIndex];
    }

    /// <summary>A deep copy of the optimizer's memory: update counts, buffers, method-wide state and learning rates.</summary>
    public OptimizerState SaveState()
    {
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        var buffers = new Dictionary<string, double[]>(StringComparer.Ordinal);
        SaveMethodState(scalars, buffers);
        return new OptimizerState
        {
            Method = Method,
            LearningRates = [.. _groups.Select(group => group.LearningRate)],
            Parameters = [.. _states.Select((state, i) => new ParameterStateSnapshot
            {
                Name = _names[i],
                Step = state.Step,
                Buffers = state.Buffers.ToDictionary(pair => pair.Key, pair => ToDoubles(pair.Value), StringComparer.Ordinal),
            })],
            Scalars = scalars,
            Buffers = buffers,
        };
    }

    /// <summary>
    /// Replaces the optimizer's memory with a snapshot from <see cref="SaveState"/> (copied, not shared), all or
    /// nothing: the whole snapshot is checked before anything changes, so a refused one leaves the optimizer as it was.
    /// </summary>
    /// <remarks>
    /// When every saved parameter and every parameter of this optimizer has a name (parameters from
    /// <see cref="Nn.Module{T}.Parameters"/>), each parameter gets the state saved under its name, whatever the order;
    /// otherwise the state is matched by position. Method-wide buffers (L-BFGS's history) are flat over the parameters in
    /// order, so a state holding them loads only into the same order.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The snapshot belongs to another method, or its numbers of groups or parameters, its names, or a buffer's length,
    /// do not match this optimizer.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate is negative or not finite.</exception>
    public void LoadState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Method != Method)
        {
            throw new ArgumentException($"{Method}.LoadState: the state was saved by {state.Method}; expected {Method}.", nameof(state));
        }
        if (state.LearningRates.Count != _groups.Length || state.Parameters.Count != _parameters.Length)
        {
            throw new ArgumentException(
                $"{Method}.LoadState: the state holds {state.LearningRates.Count} groups and {state.Parameters.Count} parameters; this optimizer has {_groups.Length} and {_parameters.Length}.",
                nameof(state));
        }
        var saved = SavedIndices(state);
        for (int i = 0; i < _parameters.Length; i++)
        {
            foreach (var (name, values) in state.Parameters[saved[i]].Buffers)
            {
                if (values.Length != _parameters[i].Length)
                {
                    throw new ArgumentException(
                        $"{Method}.LoadState: buffer '{name}' of parameter {i} has {values.Length} values; the parameter ({_parameters[i].Describe()}) has {_parameters[i].Length}.",
                        nameof(state));
                }
            }
        }
        for (int i = 0; i < _groups.Length; i++)
        {
            OptimizerOptions.RequireLearningRate(state.LearningRates[i], $"{Method}.LoadState: group {i}");
        }
        LoadMethodState(state.Scalars, state.Buffers);
        for (int i = 0; i < _groups.Length; i++)
        {
            _groups[i].LearningRate = state.LearningRates[i];
        }
        for (int i = 0; i < _parameters.Length; i++)
        {
            var target = _states[i];
            target.Clear();
            target.Step = state.Parameters[saved[i]].Step;
            foreach (var (name, values) in state.Parameters[saved[i]].Buffers)
            {
                CopyInto(values, target.Buffer(name));
            }
        }
    }

    /// <summary>For each parameter, the index of its entry in the snapshot: by name when all are named, else by position.</summary>
    /// <exception cref="ArgumentException">Names are missing or unexpected, or the order changed under method-wide buffers.</exception>
    private int[] SavedIndices(OptimizerState state)
    {
        var indices = Enumerable.Range(0, _parameters.Length).ToArray();
        if (_names.Any(name => name is null) || state.Parameters.Any(parameter => parameter.Name is null))
        {
            return indices;
        }
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < state.Parameters.Count; i++)
        {
            if (!byName.TryAdd(state.Parameters[i].Name!, i))
            {
                throw new ArgumentException($"{Method}.LoadState: the state names parameter '{state.Parameters[i].Name}' twice.", nameof(state));
            }
        }
        var missing = _names.Where(name => !byName.ContainsKey(name!)).ToList();
        var unexpected = byName.Keys.Where(name => !_names.Contains(name)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new ArgumentException(
                $"{Method}.LoadState: the saved parameter names do not match (missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", unexpected)}).", nameof(state));
        }
        indices = [.. _names.Select(name => byName[name!])];
        if (state.Buffers.Count > 0 && indices.Where((saved, i) => saved != i).Any())
        {
            throw new ArgumentException(
                $"{Method}.LoadState: the parameters come in another order than when the state was saved, and this method's state ({string.Join(", ", state.Buffers.Keys)}) is laid out by position.", nameof(state));
        }
        return indices;
    }

    /// <summary>Adds the method-wide memory (beyond the per-parameter <see cref="ParameterState{T}"/>) to a snapshot.</summary>
    /// <param name="scalars">Numbers to save, by name.</param>
    /// <param name="buffers">Arrays to save, by name (copies: the snapshot must not share storage with the optimizer).</param>
    protected virtual void SaveMethodState(IDictionary<string, double> scalars, IDictionary<string, double[]> buffers)
    {
    }

    /// <summary>Restores the method-wide memory written by <see cref="SaveMethodState"/>.</summary>
    /// <exception cref="ArgumentException">An entry is missing or has the wrong length.</exception>
    protected virtual void LoadMethodState(IReadOnlyDictionary<string, double> scalars, IReadOnlyDictionary<string, double[]> buffers)
    {
    }

    /// <summary>Calls a closure with gradient recording on and checks that it returned a scalar loss.</summary>
    /// <exception cref="InvalidOperationException">The closure returned a tensor that is not a single element.</exception>
    protected Tensor<T> Evaluate(Func<Tensor<T>> closure) => Closure.Invoke(closure, Method);

    /// <summary>Copies <typeparamref name="T"/> values into a new double array (exact for float and double).</summary>
    protected static double[] ToDoubles(ReadOnlySpan<T> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }
        return result;
    }

    /// <summary>Copies saved doubles back into a <typeparamref name="T"/> buffer of the same length.</summary>
    protected static void CopyInto(ReadOnlySpan<double> values, Span<T> destination)
    {
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = T.CreateTruncating(values[i]);
        }
    }
}
