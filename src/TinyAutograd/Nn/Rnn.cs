using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>The nonlinearity of an Elman <see cref="Rnn{T}"/>.</summary>
public enum RnnNonlinearity
{
    /// <summary>tanh (PyTorch's default).</summary>
    Tanh,

    /// <summary>max(0, x).</summary>
    Relu,
}

/// <summary>An Elman recurrent network with a tanh or ReLU nonlinearity (PyTorch's <c>nn.RNN</c>).</summary>
/// <remarks>
/// hₜ = φ(xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh), φ = tanh or ReLU; one gate, so the weights are [H, I] and [H, H]
/// (Elman, 1990, "Finding structure in time"). Parameters, initialization and shapes: <see cref="RecurrentLayer{T}"/>.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Rnn<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layers with PyTorch's default initialization drawn from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Rnn(int inputSize, int hiddenSize, RandomSource random, int layers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, bool batchFirst = false, bool bias = true)
        : base(inputSize, hiddenSize, layers, gates: 1, batchFirst, bias, random) => Nonlinearity = nonlinearity;

    /// <summary>φ, the nonlinearity.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <inheritdoc/>
    protected override string Kind => Nonlinearity == RnnNonlinearity.Tanh ? "RNN tanh" : "RNN relu";

    /// <inheritdoc/>
    private protected override (Tensor<T> Output, Tensor<T> Hidden, Tensor<T>? Cell) Run(Tensor<T> inputs, Tensor<T> hidden, Tensor<T>? cell, int k) =>
        RunSteps(inputs, hidden, cell, k, Step);

    /// <summary>One step: the new state from the gate pre-activations of the input and of the previous state.</summary>
    private (Tensor<T> Hidden, Tensor<T>? Cell) Step(Tensor<T> inputGates, Tensor<T> hiddenGates, Tensor<T> hidden, Tensor<T>? cell)
    {
        var preActivation = inputGates + hiddenGates;
        return (Nonlinearity == RnnNonlinearity.Tanh ? preActivation.Tanh() : preActivation.Relu(), null);
    }
}
