using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using TinyAutograd.Persistence;

namespace TinyAutograd.Nn;

/// <summary>
/// Named tensors in order, keyed by dotted names (<c>fc1.weight</c>, <c>norm.running_mean</c>): a model's parameters
/// and buffers, as <see cref="Module{T}.StateDict"/> returns them and <see cref="Module{T}.LoadStateDict"/> takes them.
/// </summary>
/// <remarks>
/// <para>
/// A state dict from <see cref="Module{T}.StateDict"/> holds the module's own tensors, not copies (as PyTorch's does):
/// saving it writes their current values, and a checkpoint restored into it writes into the model. Clone the tensors
/// for a snapshot in memory.
/// </para>
/// <para>
/// Files: <see cref="SaveSafetensors"/> and <see cref="LoadSafetensors"/> exchange it with PyTorch and other
/// frameworks (layouts follow PyTorch's); <c>checkpoint.AddParameters(stateDict)</c> and
/// <see cref="FromCheckpoint"/> use the library's checksummed <see cref="Checkpoint"/>, which also carries optimizer state.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class StateDict<T> : IReadOnlyDictionary<string, Tensor<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OrderedDictionary<string, Tensor<T>> _tensors = new(StringComparer.Ordinal);

    /// <summary>Text saved with the tensors: safetensors' <c>__metadata__</c> (a checkpoint does not keep it).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="tensor"/> under <paramref name="name"/> (not a copy).</summary>
    /// <exception cref="ArgumentException">The name is empty or already present.</exception>
    public void Add(string name, Tensor<T> tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_tensors.TryAdd(name, tensor))
        {
            throw new ArgumentException($"StateDict: '{name}' is already present; names are unique.", nameof(name));
        }
    }

    /// <summary>Writes the tensors and <see cref="Metadata"/> to a safetensors file, atomically (see <see cref="Safetensors.Save{T}"/>).</summary>
    public void SaveSafetensors(string path) => Safetensors.Save(path, this, Metadata);

    /// <summary>Reads a safetensors file of F32, F64 or I64 tensors, converting the values to <typeparamref name="T"/> (see <see cref="Safetensors.Load{T}"/>).</summary>
    public static StateDict<T> LoadSafetensors(string path) => Safetensors.Load<T>(path);

    /// <summary>The tensors a checkpoint holds under <see cref="Checkpoint.ParameterPrefix"/>, named without the prefix, as new tensors.</summary>
    /// <exception cref="CheckpointException">An entry holds another element type than <typeparamref name="T"/>.</exception>
    public static StateDict<T> FromCheckpoint(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var result = new StateDict<T>();
        foreach (var entry in checkpoint.Entries)
        {
            if (entry.Name.StartsWith(Checkpoint.ParameterPrefix, StringComparison.Ordinal))
            {
                result.Add(entry.Name[Checkpoint.ParameterPrefix.Length..], checkpoint.GetTensor<T>(entry.Name));
            }
        }
        return result;
    }

    /// <inheritdoc/>
    public Tensor<T> this[string key] => _tensors[key];

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _tensors.Keys;

    /// <inheritdoc/>
    public IEnumerable<Tensor<T>> Values => _tensors.Values;

    /// <inheritdoc/>
    public int Count => _tensors.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor<T> value) => _tensors.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, Tensor<T>>> GetEnumerator() => _tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
