using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>A module that maps one tensor to one tensor: what <see cref="Sequential{T}"/> chains.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Layer<T> : Module<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer's output for <paramref name="input"/>, recorded for differentiation when gradients are on.</summary>
    /// <exception cref="ArgumentException">The input's shape does not fit the layer; the message names the layer's path and configuration.</exception>
    public abstract Tensor<T> Forward(Tensor<T> input);

    /// <summary>An <see cref="ArgumentException"/> whose message starts with the layer's label (path and configuration).</summary>
    protected ArgumentException ShapeError(string problem) => new($"{Label}: {problem}.");
}
