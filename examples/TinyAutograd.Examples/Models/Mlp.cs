using TinyAutograd.Nn;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// A multi-layer perceptron: linear layers with ReLU between them, producing class scores (logits).
/// </summary>
/// <remarks>
/// Layer l computes hₗ = relu(hₗ₋₁·Wₗᵀ + bₗ) (no ReLU after the last layer), with Wₗ of shape [outₗ, inₗ]. Weights
/// start uniform in ±√(6 / inₗ) (He initialization, which keeps the activations' scale through ReLU layers), biases at 0.
/// The layers are children <c>0</c>, <c>2</c>, … of a <see cref="Sequential{T}"/> with the ReLUs between, as PyTorch
/// would name them.
/// </remarks>
internal sealed class Mlp : Layer<float>
{
    private readonly Sequential<float> _layers;

    /// <param name="sizes">The width of each layer, input first: e.g. [784, 256, 256, 10].</param>
    /// <param name="seed">The seed of the initial weights.</param>
    public Mlp(IReadOnlyList<int> sizes, ulong seed)
    {
        if (sizes.Count < 2)
        {
            throw new ArgumentException($"Mlp: give at least an input and an output size; got [{string.Join(", ", sizes)}].", nameof(sizes));
        }
        var random = new RandomSource(seed);
        var layers = new List<Layer<float>>();
        for (int l = 0; l + 1 < sizes.Count; l++)
        {
            var linear = new Linear<float>(sizes[l], sizes[l + 1], random);
            Init.KaimingUniform(linear.Weight, random, nonlinearity: Nonlinearity.Relu);
            Init.Constant(linear.Bias!, 0);
            layers.Add(linear);
            if (l + 2 < sizes.Count)
            {
                layers.Add(new Relu<float>());
            }
        }
        _layers = RegisterModule("layers", new Sequential<float>([.. layers]));
        Sizes = sizes.ToArray();
    }

    public IReadOnlyList<int> Sizes { get; }

    /// <summary>The logits [N, classes] for a batch of inputs [N, features].</summary>
    public override Tensor<float> Forward(Tensor<float> input) => _layers.Forward(input);
}
