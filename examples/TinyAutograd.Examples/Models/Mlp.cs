namespace TinyAutograd.Examples.Models;

/// <summary>
/// A multi-layer perceptron: linear layers with ReLU between them, producing class scores (logits).
/// </summary>
/// <remarks>
/// Layer l computes hₗ = relu(hₗ₋₁·Wₗᵀ + bₗ) (no ReLU after the last layer), with Wₗ of shape [outₗ, inₗ]. Weights
/// start uniform in ±√(6 / inₗ) (He initialization, which keeps the activations' scale through ReLU layers), biases at 0.
/// </remarks>
internal sealed class Mlp
{
    private readonly (Tensor<float> Weight, Tensor<float> Bias)[] _layers;

    /// <param name="sizes">The width of each layer, input first: e.g. [784, 256, 256, 10].</param>
    /// <param name="seed">The seed of the initial weights.</param>
    public Mlp(IReadOnlyList<int> sizes, ulong seed)
    {
        if (sizes.Count < 2)
        {
            throw new ArgumentException($"Mlp: give at least an input and an output size; got [{string.Join(", ", sizes)}].", nameof(sizes));
        }
        var random = new RandomSource(seed);
        _layers = new (Tensor<float>, Tensor<float>)[sizes.Count - 1];
        for (int l = 0; l < _layers.Length; l++)
        {
            double limit = Math.Sqrt(6.0 / sizes[l]);
            _layers[l] = (
                random.Uniform<float>([sizes[l + 1], sizes[l]], -limit, limit).RequireGrad(),
                Tensor.Zeros<float>(sizes[l + 1]).RequireGrad());
        }
        Sizes = sizes.ToArray();
    }

    public IReadOnlyList<int> Sizes { get; }

    /// <summary>Every weight and bias, for the optimizer.</summary>
    public IReadOnlyList<Tensor<float>> Parameters => _layers.SelectMany(layer => new[] { layer.Weight, layer.Bias }).ToArray();

    public int ParameterCount => _layers.Sum(layer => layer.Weight.Length + layer.Bias.Length);

    /// <summary>The logits [N, classes] for a batch of inputs [N, features].</summary>
    public Tensor<float> Forward(Tensor<float> input)
    {
        var hidden = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            var (weight, bias) = _layers[l];
            hidden = Tensor.MatMul(hidden, weight, transposeRight: true) + bias;
            if (l + 1 < _layers.Length)
            {
                hidden = hidden.Relu();
            }
        }
        return hidden;
    }
}
