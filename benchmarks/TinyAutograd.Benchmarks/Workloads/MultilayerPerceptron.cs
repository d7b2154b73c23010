using System.Numerics;
using TinyAutograd.Nn;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// The peer's fully connected network, built as torch_peer.py builds it: a <see cref="Sequential{T}"/> of
/// <see cref="Linear{T}"/> layers (weight [out, in], PyTorch's default initialization U(−1/√in, 1/√in) for weights and
/// biases) with the activation after every layer but the last.
/// </summary>
public static class MultilayerPerceptron
{
    /// <summary>The network for layer widths <paramref name="sizes"/> from input to output, e.g. [784, 256, 256, 10].</summary>
    /// <param name="sizes">Layer widths from input to output.</param>
    /// <param name="activation">The nonlinearity after every layer but the last.</param>
    /// <param name="random">Source of the initial weights.</param>
    public static Sequential<T> Create<T>(int[] sizes, Activation activation, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(random);
        var layers = new List<Layer<T>>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            layers.Add(new Linear<T>(sizes[i], sizes[i + 1], random));
            if (i + 2 < sizes.Length)
            {
                layers.Add(activation == Activation.Relu ? new Relu<T>() : new Tanh<T>());
            }
        }
        return new Sequential<T>([.. layers]);
    }
}
