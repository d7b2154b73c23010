namespace TinyAutograd.Nn;

public abstract partial class Module<T>
{
    /// <summary>
    /// The module's parameters and buffers by dotted name: for each module depth first, its parameters then its
    /// buffers (PyTorch's <c>state_dict()</c> order). The tensors are the module's own, not copies.
    /// </summary>
    public StateDict<T> StateDict()
    {
        var state = new StateDict<T>();
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var (name, tensor) in module._parameters.Concat(module._buffers))
            {
                if (seen.Add(tensor))
                {
                    state.Add(Join(prefix, name), tensor);
                }
            }
        }
        return state;
    }

    /// <summary>
    /// Copies the values of <paramref name="state"/> into the module's parameters and buffers of the same dotted names.
    /// </summary>
    /// <remarks>
    /// Strict (the default): every name of the module must be present with its shape and every name of the state must
    /// belong to the module; otherwise nothing is written and a <see cref="StateDictMismatchException"/> lists every
    /// problem at once. Not strict: the names that match are copied and the others reported in the result. Values are
    /// written in place inside <see cref="GradMode.Disable"/>, which bumps the tensors' versions.
    /// </remarks>
    /// <exception cref="StateDictMismatchException">Strict, and a name is missing, unexpected or of another shape.</exception>
    public StateDictLoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor<T>> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var missing = new List<string>();
        var mismatches = new List<string>();
        var copies = new List<(Tensor<T> Target, Tensor<T> Source)>();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source))
            {
                missing.Add(name);
            }
            else if (source.Shape != target.Shape)
            {
                mismatches.Add($"{name}: module {target.Shape}, state dict {source.Shape}");
            }
            else
            {
                copies.Add((target, source));
            }
        }
        var unexpected = state.Keys.Where(name => !own.ContainsKey(name)).ToList();
        var result = new StateDictLoadResult(missing, unexpected, mismatches);
        if (strict && !result.IsExactMatch)
        {
            throw new StateDictMismatchException(Label, result);
        }
        using (GradMode.Disable())
        {
            foreach (var (target, source) in copies)
            {
                if (!ReferenceEquals(target, source))
                {
                    source.Data.CopyTo(target.GetSpanForWrite());
                }
            }
        }
        return result;
    }
}
