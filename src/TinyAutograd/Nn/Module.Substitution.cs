namespace TinyAutograd.Nn;

public abstract partial class Module<T>
{
    /// <summary>
    /// Runs <paramref name="body"/> with the module's parameters replaced by <paramref name="parameters"/> (one per
    /// entry of <see cref="Parameters"/>, in that order), then puts the module's own tensors back, even on an exception.
    /// </summary>
    /// <remarks>
    /// This makes a model a function of its parameters, as the transforms want it (PyTorch's
    /// <c>torch.func.functional_call</c>): e.g. the exact Hessian-vector product of a loss over all parameters,
    /// <c>AutoDiff.HessianVectorProduct(ps =&gt; model.WithParameters(ps, () =&gt; Loss(model.Forward(x))), [.. model.Parameters()], v)</c>.
    /// A tied tensor is replaced at every place it is registered. Not thread-safe: the module is changed while the body runs.
    /// </remarks>
    /// <exception cref="ArgumentException">The number of tensors or a shape differs from the module's parameters.</exception>
    public TResult WithParameters<TResult>(IReadOnlyList<Tensor<T>> parameters, Func<TResult> body)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(body);
        var own = NamedParameters().ToArray();
        if (parameters.Count != own.Length)
        {
            throw new ArgumentException($"{Label}.WithParameters: {parameters.Count} tensors given for {own.Length} parameters.", nameof(parameters));
        }
        var replacement = new Dictionary<Tensor<T>, Tensor<T>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < own.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(parameters[i], nameof(parameters));
            if (parameters[i].Shape != own[i].Value.Shape)
            {
                throw new ArgumentException(
                    $"{Label}.WithParameters: tensor {i} has shape {parameters[i].Shape}; parameter '{own[i].Key}' has shape {own[i].Value.Shape}.", nameof(parameters));
            }
            replacement.Add(own[i].Value, parameters[i]);
        }
        var swapped = Swap(replacement);
        try
        {
            return body();
        }
        finally
        {
            foreach (var (module, name, original) in swapped)
            {
                module._parameters[name] = original;
            }
        }
    }

    /// <summary>Puts each replacement in every slot holding its original; returns the slots changed, with their originals.</summary>
    private List<(Module<T> Module, string Name, Tensor<T> Original)> Swap(Dictionary<Tensor<T>, Tensor<T>> replacement)
    {
        var swapped = new List<(Module<T>, string, Tensor<T>)>();
        foreach (var (_, module) in NamedModules())
        {
            for (int i = 0; i < module._parameters.Count; i++)
            {
                var (name, tensor) = module._parameters.GetAt(i);
                if (replacement.TryGetValue(tensor, out var substitute))
                {
                    swapped.Add((module, name, tensor));
                    module._parameters.SetAt(i, substitute);
                }
            }
        }
        return swapped;
    }
}
