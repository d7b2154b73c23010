using System.Numerics;

namespace TinyAutograd.Optim;

/// <summary>
/// A set of parameters that share hyper-parameters (PyTorch's param group): e.g. weights with weight decay and biases
/// without, or a smaller learning rate for a pretrained layer.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ParameterGroup<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a group from its parameters and its own copy of <paramref name="options"/>.</summary>
    /// <remarks>
    /// Parameters from <see cref="Nn.Module{T}.Parameters"/> keep their dotted names (<see cref="Names"/>), so the
    /// optimizer's saved state is matched by name when loaded.
    /// </remarks>
    /// <param name="parameters">The tensors this group updates: leaves whose <c>Grad</c> backward fills.</param>
    /// <param name="options">The group's hyper-parameters; their type must match the optimizer (e.g. <see cref="AdamOptions"/> for <see cref="Adam{T}"/>). Copied.</param>
    /// <exception cref="ArgumentException">A parameter is null.</exception>
    public ParameterGroup(IEnumerable<Tensor<T>> parameters, OptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        Parameters = [.. parameters];
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (Parameters[i] is null)
            {
                throw new ArgumentException($"ParameterGroup: parameter {i} is null.", nameof(parameters));
            }
        }
        Options = options with { };
        Names = (parameters as Nn.ModuleParameters<T>)?.Names;
    }

    /// <summary>Creates a group from named parameters (e.g. <see cref="Nn.Module{T}.NamedParameters"/>): saved optimizer state is matched by these names.</summary>
    /// <exception cref="ArgumentException">A parameter or name is null or empty.</exception>
    public ParameterGroup(IEnumerable<KeyValuePair<string, Tensor<T>>> namedParameters, OptimizerOptions options)
        : this(Tensors(namedParameters), options)
    {
        Names = [.. namedParameters.Select(pair => pair.Key)];
        for (int i = 0; i < Names.Count; i++)
        {
            if (string.IsNullOrEmpty(Names[i]))
            {
                throw new ArgumentException($"ParameterGroup: parameter {i} has no name.", nameof(namedParameters));
            }
        }
    }

    /// <summary>The parameters' names, in the order of <see cref="Parameters"/>, or null when the group was built from bare tensors.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>The tensors this group updates, in the order given.</summary>
    public IReadOnlyList<Tensor<T>> Parameters { get; }

    /// <summary>This group's hyper-parameters (its own copy: changing them affects this group only).</summary>
    public OptimizerOptions Options { get; }

    private static IEnumerable<Tensor<T>> Tensors(IEnumerable<KeyValuePair<string, Tensor<T>>> namedParameters)
    {
        ArgumentNullException.ThrowIfNull(namedParameters);
        return namedParameters.Select(pair => pair.Value);
    }

    /// <summary>This group's learning rate η; shorthand for <c>Options.LearningRate</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double LearningRate
    {
        get => Options.LearningRate;
        set => Options.LearningRate = value;
    }
}
