using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>A gated recurrent unit network (PyTorch's <c>nn.GRU</c>; Cho et al., 2014).</summary>
/// <remarks>
/// With gates stacked in PyTorch's order r, z, n (weights [3H, I] and [3H, H]), aₜ = xₜ·W_ihᵀ + b_ih and
/// bₜ = hₜ₋₁·W_hhᵀ + b_hh: rₜ = σ(aₜ[r] + bₜ[r]), zₜ = σ(aₜ[z] + bₜ[z]), nₜ = tanh(aₜ[n] + rₜ ⊙ bₜ[n]),
/// hₜ = (1 − zₜ) ⊙ nₜ + zₜ ⊙ hₜ₋₁. The reset gate multiplies W_hn·h + b_hn, as in PyTorch (and cuDNN).
/// Parameters, initialization and shapes: <see cref="RecurrentLayer{T}"/>.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Gru<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layers with PyTorch's default initialization drawn from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Gru(int inputSize, int hiddenSize, RandomSource random, int layers = 1, bool batchFirst = false, bool bias = true)
        : base(inputSize, hiddenSize, layers, gates: 3, batchFirst, bias, random)
    {
    }

    /// <inheritdoc/>
    protected override string Kind => "GRU";

    /// <inheritdoc/>
    private protected override (Tensor<T> Output, Tensor<T> Hidden, Tensor<T>? Cell) Run(Tensor<T> inputs, Tensor<T> hidden, Tensor<T>? cell, int k) =>
        RunSteps(inputs, hidden, cell, k, Step);

    /// <summary>One step: the new state from the gate pre-activations of the input and of the previous state.</summary>
    private (Tensor<T> Hidden, Tensor<T>? Cell) Step(Tensor<T> inputGates, Tensor<T> hiddenGates, Tensor<T> hidden, Tensor<T>? cell)
    {
        var reset = (Gate(inputGates, 0) + Gate(hiddenGates, 0)).Sigmoid();
        var update = (Gate(inputGates, 1) + Gate(hiddenGates, 1)).Sigmoid();
        var candidate = (Gate(inputGates, 2) + reset * Gate(hiddenGates, 2)).Tanh();
        return (candidate + update * (hidden - candidate), null);
    }

    /// <summary>Gate <paramref name="index"/> (of 3) of pre-activations [batch, 3·H]: columns index·H to (index + 1)·H − 1.</summary>
    private Tensor<T> Gate(Tensor<T> gates, int index) => gates.Slice(1, index * HiddenSize, HiddenSize);
}
