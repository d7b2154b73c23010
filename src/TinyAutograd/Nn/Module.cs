using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// A node of a model's tree: named parameters (trained tensors), named buffers (state such as running statistics)
/// and named child modules, all registered explicitly in the constructor, with no reflection.
/// </summary>
/// <remarks>
/// <para>
/// Everything is keyed by dotted names built from the registration names along the tree, e.g. <c>encoder.0.weight</c>:
/// <see cref="NamedParameters"/>, <see cref="NamedBuffers"/>, <see cref="StateDict"/>, optimizer state saved from
/// <see cref="Parameters"/>, and the shape errors of layers (which name their <see cref="Path"/>).
/// Enumerations visit a module's own parameters (or buffers) in registration order, then each child's, depth first,
/// like PyTorch's <c>named_parameters()</c>; a tensor registered twice (tied weights) is listed once, under its first name.
/// </para>
/// <para>
/// A module is pure managed memory: nothing to dispose. Tensor layouts and default initializations follow PyTorch's
/// (Linear weight [out, in]), so a state dict moves between the two through <see cref="Safetensors"/>.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract partial class Module<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OrderedDictionary<string, Tensor<T>> _parameters = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Tensor<T>> _buffers = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Module<T>> _children = new(StringComparer.Ordinal);

    /// <summary>Whether the module is in training mode (the default) rather than evaluation mode; see <see cref="Train"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>
    /// The module's dotted name in the tree it was last registered into, e.g. <c>encoder.fc1</c>; empty for a root.
    /// Layers put it in their error messages.
    /// </summary>
    public string Path { get; private set; } = "";

    /// <summary>The module's kind and configuration, e.g. <c>Linear 784→256</c>, shown by <see cref="ToString"/> and in errors.</summary>
    /// <remarks>The default is the class name; layers override it with their configuration.</remarks>
    public virtual string Description => TypeName(GetType());

    /// <summary>The module's own children, in registration order, with their local names.</summary>
    public IEnumerable<KeyValuePair<string, Module<T>>> NamedChildren() => _children;

    /// <summary>
    /// The parameter registered under <paramref name="name"/> by this module itself (not a child's).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No parameter of that name was registered here.</exception>
    protected Tensor<T> Parameter(string name) =>
        _parameters.TryGetValue(name, out var tensor) ? tensor
            : throw new KeyNotFoundException($"{Label}: no parameter '{name}' is registered on this module.");

    /// <summary>The buffer registered under <paramref name="name"/> by this module itself.</summary>
    /// <exception cref="KeyNotFoundException">No buffer of that name was registered here.</exception>
    protected Tensor<T> Buffer(string name) =>
        _buffers.TryGetValue(name, out var tensor) ? tensor
            : throw new KeyNotFoundException($"{Label}: no buffer '{name}' is registered on this module.");

    /// <summary>
    /// Registers a trained tensor under <paramref name="name"/>, marks it as requiring gradients, and returns it.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The name is empty, holds a dot, or is already used by a parameter, buffer or child of this module; or the tensor
    /// is the result of a recorded operation rather than a leaf.
    /// </exception>
    protected Tensor<T> RegisterParameter(string name, Tensor<T> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        RequireFreeName(name, nameof(name));
        if (!tensor.IsLeaf)
        {
            throw new ArgumentException($"{Label}: parameter '{name}' ({tensor.Describe()}) is the result of a recorded operation; parameters must be leaves (use Detach()).", nameof(tensor));
        }
        _parameters.Add(name, tensor.RequireGrad());
        return tensor;
    }

    /// <summary>
    /// Registers a tensor that is part of the module's state but not trained (e.g. BatchNorm's running mean) under
    /// <paramref name="name"/>, and returns it. Buffers are saved in state dicts.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty, holds a dot, or is taken; or the tensor is not a leaf.</exception>
    protected Tensor<T> RegisterBuffer(string name, Tensor<T> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        RequireFreeName(name, nameof(name));
        if (!tensor.IsLeaf)
        {
            throw new ArgumentException($"{Label}: buffer '{name}' ({tensor.Describe()}) is the result of a recorded operation; buffers must be leaves.", nameof(tensor));
        }
        _buffers.Add(name, tensor.RequireGrad(false));
        return tensor;
    }

    /// <summary>Registers a child module under <paramref name="name"/> and returns it; its <see cref="Path"/> and its descendants' follow.</summary>
    /// <exception cref="ArgumentException">The name is empty, holds a dot, or is taken; or the child is this module or one of its ancestors.</exception>
    protected TModule RegisterModule<TModule>(string name, TModule module)
        where TModule : Module<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        RequireFreeName(name, nameof(name));
        if (module.Contains(this))
        {
            throw new ArgumentException($"{Label}: registering '{name}' ({module.Description}) would make the module tree a cycle.", nameof(module));
        }
        _children.Add(name, module);
        module.SetPath(Join(Path, name));
        return module;
    }

    /// <summary>Sets training mode (<paramref name="training"/> true) or evaluation mode on this module and every descendant; returns this module.</summary>
    /// <remarks>Dropout is active and BatchNorm uses and updates batch statistics only in training mode.</remarks>
    public Module<T> Train(bool training = true)
    {
        foreach (var (_, module) in NamedModules())
        {
            module.IsTraining = training;
        }
        return this;
    }

    /// <summary>Sets evaluation mode on the whole tree: <c>Train(false)</c>.</summary>
    public Module<T> Eval() => Train(false);

    /// <summary>Stops gradients to every parameter of the tree (RequiresGrad false), e.g. to fine-tune only a new head; returns this module.</summary>
    public Module<T> Freeze() => SetRequiresGrad(false);

    /// <summary>Lets gradients flow to every parameter of the tree again; returns this module.</summary>
    public Module<T> Unfreeze() => SetRequiresGrad(true);

    /// <summary>
    /// Clears every parameter's gradient (sets <c>Grad</c> to null) with <see cref="Tensor{T}.ZeroGrad"/>, which recycles the
    /// buffers that backward made, so a steady training loop allocates no gradient buffers.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var (_, parameter) in NamedParameters())
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>The number of scalar parameters of the tree (tied tensors counted once).</summary>
    public long ParameterCount => NamedParameters().Sum(pair => (long)pair.Value.Length);

    /// <summary>The number of scalar parameters that currently receive gradients (not frozen).</summary>
    public long TrainableParameterCount => NamedParameters().Where(pair => pair.Value.RequiresGrad).Sum(pair => (long)pair.Value.Length);

    /// <summary>Every parameter of the tree with its dotted name (relative to this module).</summary>
    public IEnumerable<KeyValuePair<string, Tensor<T>>> NamedParameters() => Named(module => module._parameters);

    /// <summary>Every buffer of the tree with its dotted name (relative to this module).</summary>
    public IEnumerable<KeyValuePair<string, Tensor<T>>> NamedBuffers() => Named(module => module._buffers);

    /// <summary>
    /// Every parameter of the tree, in <see cref="NamedParameters"/> order, carrying the dotted names: an optimizer
    /// built from this list saves its state by name (see <see cref="ModuleParameters{T}"/>).
    /// </summary>
    public ModuleParameters<T> Parameters() => new([.. NamedParameters()]);

    /// <summary>
    /// The parameters that are not frozen (RequiresGrad), with their dotted names: what an optimizer should update after
    /// <see cref="Freeze"/> on part of the tree (optimizers refuse tensors that receive no gradient).
    /// </summary>
    public ModuleParameters<T> TrainableParameters() => new([.. NamedParameters().Where(pair => pair.Value.RequiresGrad)]);

    /// <summary>This module (with the empty name) and every descendant, depth first, each with its dotted name.</summary>
    public IEnumerable<KeyValuePair<string, Module<T>>> NamedModules()
    {
        var seen = new HashSet<Module<T>>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<KeyValuePair<string, Module<T>>>();
        pending.Push(new("", this));
        while (pending.Count > 0)
        {
            var (prefix, module) = pending.Pop();
            if (!seen.Add(module))
            {
                continue;
            }
            yield return new(prefix, module);
            for (int i = module._children.Count - 1; i >= 0; i--)
            {
                var (name, child) = module._children.GetAt(i);
                pending.Push(new(Join(prefix, name), child));
            }
        }
    }

    /// <summary>The tensors of one kind (parameters or buffers) of every module, with dotted names, each tensor once.</summary>
    private IEnumerable<KeyValuePair<string, Tensor<T>>> Named(Func<Module<T>, OrderedDictionary<string, Tensor<T>>> kind)
    {
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var (name, tensor) in kind(module))
            {
                if (seen.Add(tensor))
                {
                    yield return new(Join(prefix, name), tensor);
                }
            }
        }
    }

    /// <summary>The module's label in error messages: <c>path (Description)</c>, or the description alone for a root.</summary>
    protected string Label => Path.Length == 0 ? Description : $"{Path} ({Description})";

    private Module<T> SetRequiresGrad(bool requiresGrad)
    {
        foreach (var (_, parameter) in NamedParameters())
        {
            parameter.RequireGrad(requiresGrad);
        }
        return this;
    }

    private void SetPath(string path)
    {
        Path = path;
        foreach (var (name, child) in _children)
        {
            child.SetPath(Join(path, name));
        }
    }

    private bool Contains(Module<T> other) => NamedModules().Any(pair => ReferenceEquals(pair.Value, other));

    private void RequireFreeName(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{Label}: the name '{name}' holds a dot; dots separate the levels of dotted names.", parameter);
        }
        string? kind = _parameters.ContainsKey(name) ? "a parameter" : _buffers.ContainsKey(name) ? "a buffer" : _children.ContainsKey(name) ? "a child module" : null;
        if (kind is not null)
        {
            throw new ArgumentException($"{Label}: '{name}' is already registered as {kind} of this module; each name is used once.", parameter);
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private static string TypeName(Type type)
    {
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }
}
