using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>Layers applied one after the other, registered as children <c>0</c>, <c>1</c>, … (PyTorch's <c>nn.Sequential</c>).</summary>
/// <remarks>y = fₙ(…f₂(f₁(x))); the state dict names are <c>0.weight</c>, <c>2.bias</c>, … as in PyTorch.</remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sequential<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;

    /// <summary>Chains <paramref name="layers"/> in order.</summary>
    /// <exception cref="ArgumentException">A layer is null or appears twice.</exception>
    public Sequential(params Layer<T>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
        for (int i = 0; i < _layers.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(_layers[i], nameof(layers));
            if (Array.IndexOf(_layers, _layers[i]) != i)
            {
                throw new ArgumentException($"Sequential: layer {i} ({_layers[i].Description}) is the same object as layer {Array.IndexOf(_layers, _layers[i])}; give each position its own layer.", nameof(layers));
            }
            RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), _layers[i]);
        }
    }

    /// <summary>The number of layers.</summary>
    public int Count => _layers.Length;

    /// <summary>The layer at position <paramref name="index"/>.</summary>
    public Layer<T> this[int index] => _layers[index];

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        var output = input;
        foreach (var layer in _layers)
        {
            output = layer.Forward(output);
        }
        return output;
    }
}
