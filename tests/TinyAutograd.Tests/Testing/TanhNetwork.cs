using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Testing;

/// <summary>
/// A small tanh network made of layers, evaluated at parameters given as tensors so that it is a function of them for
/// the checks and transforms: Linear(inputs → hidden), tanh, Linear(hidden → outputs) without bias; θ = (W1 [hidden,
/// inputs], b1 [hidden], W2 [outputs, hidden]) in PyTorch's layouts.
/// </summary>
internal sealed class TanhNetwork(int inputs, int hidden, int outputs)
{
    private readonly Sequential<double> _layers = new(
        new Linear<double>(inputs, hidden, new RandomSource(0)), new Tanh<double>(), new Linear<double>(hidden, outputs, new RandomSource(0), bias: false));

    /// <summary>tanh(x·W1ᵀ + b1)·W2ᵀ for θ = (W1, b1, W2).</summary>
    public Tensor<double> Forward(Tensor<double> x, Tensor<double>[] theta) => _layers.WithParameters(theta, () => _layers.Forward(x));
}
