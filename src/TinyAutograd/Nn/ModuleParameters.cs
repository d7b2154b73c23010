using System.Collections;
using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// A module's parameters in order, with their dotted names: what <see cref="Module{T}.Parameters"/> returns.
/// </summary>
/// <remarks>
/// It is an ordinary list of tensors, so it goes wherever parameters go (<c>new Adam&lt;float&gt;(model.Parameters())</c>).
/// A <see cref="Optim.ParameterGroup{T}"/> built from it keeps the names, so the optimizer's saved state is keyed by
/// name and restores correctly into an optimizer whose parameters come in another order.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ModuleParameters<T> : IReadOnlyList<Tensor<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly KeyValuePair<string, Tensor<T>>[] _named;

    internal ModuleParameters(KeyValuePair<string, Tensor<T>>[] named) => _named = named;

    /// <summary>The dotted names, in the order of the tensors.</summary>
    public IReadOnlyList<string> Names => [.. _named.Select(pair => pair.Key)];

    /// <inheritdoc/>
    public int Count => _named.Length;

    /// <inheritdoc/>
    public Tensor<T> this[int index] => _named[index].Value;

    /// <inheritdoc/>
    public IEnumerator<Tensor<T>> GetEnumerator() => _named.Select(pair => pair.Value).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
