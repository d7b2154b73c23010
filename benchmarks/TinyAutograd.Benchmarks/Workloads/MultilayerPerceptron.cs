using System.Numerics;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// A fully connected network built from the library's differentiable ops, laid out like a stack of
/// torch.nn.Linear layers: each weight is [out, in] and is applied with a transposed right operand,
/// and weights and biases start from U(−1/√in, 1/√in).
/// </summary>
public sealed class MultilayerPerceptron<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] _weights;
    private readonly Tensor<T>[] _biases;
    private readonly Activation _activation;

    /// <param name="sizes">Layer widths from input to output, e.g. [784, 256, 256, 10].</param>
    /// <param name="activation">The nonlinearity after every layer but the last.</param>
    /// <param name="random">Source of the initial weights.</param>
    public MultilayerPerceptron(int[] sizes, Activation activation, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(random);
        _activation = activation;
        int layers = sizes.Length - 1;
        _weights = new Tensor<T>[layers];
        _biases = new Tensor<T>[layers];
        for (int i = 0; i < layers; i++)
        {
            double bound = 1.0 / Math.Sqrt(sizes[i]);
            _weights[i] = random.Uniform<T>([sizes[i + 1], sizes[i]], -bound, bound).RequireGrad();
            _biases[i] = random.Uniform<T>([sizes[i + 1]], -bound, bound).RequireGrad();
        }
        Parameters = [.. _weights.Zip(_biases, (w, b) => new[] { w, b }).SelectMany(pair => pair)];
    }

    /// <summary>Weights and biases, layer by layer (w₀, b₀, w₁, b₁, …).</summary>
    public IReadOnlyList<Tensor<T>> Parameters { get; }

    /// <summary>The logits for a batch <paramref name="x"/> of shape [N, sizes[0]].</summary>
    public Tensor<T> Forward(Tensor<T> x)
    {
        var h = x;
        for (int i = 0; i < _weights.Length; i++)
        {
            h = Tensor.MatMul(h, _weights[i], transposeRight: true) + _biases[i];
            if (i < _weights.Length - 1)
            {
                h = _activation == Activation.Relu ? h.Relu() : h.Tanh();
            }
        }
        return h;
    }
}
