using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Reverse mode from a scalar: adds ∂this/∂x into <see cref="Grad"/> of every leaf x that requires grad (PyTorch habit).
    /// </summary>
    /// <param name="retainGraph">Keep the graph so that it can be walked again; by default it is freed. Defaults to <paramref name="createGraph"/>.</param>
    /// <param name="createGraph">Record the backward pass itself, so that the gradients can be differentiated again.</param>
    /// <exception cref="InvalidOperationException">This tensor does not require grad, is not a scalar, or its graph was already freed.</exception>
    public void Backward(bool? retainGraph = null, bool createGraph = false)
    {
        if (Length != 1)
        {
            throw new InvalidOperationException(
                $"Backward: {Describe()} is not a scalar; pass a seed gradient of shape {Shape} (the vector of the vector–Jacobian product).");
        }
        Backward(Tensor<T>.Filled(Shape, T.One), retainGraph, createGraph);
    }

    /// <summary>
    /// Reverse mode with an explicit seed: adds seedᵀ·∂this/∂x into <see cref="Grad"/> of every leaf x that requires grad.
    /// </summary>
    /// <param name="seed">∂L/∂this, of this tensor's shape.</param>
    /// <param name="retainGraph">Keep the graph so that it can be walked again; defaults to <paramref name="createGraph"/>.</param>
    /// <param name="createGraph">Record the backward pass itself, so that the gradients can be differentiated again.</param>
    public void Backward(Tensor<T> seed, bool? retainGraph = null, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(seed);
        BackwardEngine.Run(this, seed, [], createGraph, retainGraph ?? createGraph, "Backward");
    }
}
