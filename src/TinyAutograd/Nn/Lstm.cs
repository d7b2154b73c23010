using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>A long short-term memory network (PyTorch's <c>nn.LSTM</c>; Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et al., 2000).</summary>
/// <remarks>
/// With gates stacked in PyTorch's order i, f, g, o (weights [4H, I] and [4H, H]) and aₜ = xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh:
/// iₜ = σ(aₜ[i]), fₜ = σ(aₜ[f]), gₜ = tanh(aₜ[g]), oₜ = σ(aₜ[o]), cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ, hₜ = oₜ ⊙ tanh(cₜ).
/// The state carries h and c. Parameters, initialization and shapes: <see cref="RecurrentLayer{T}"/>. Each layer's
/// recurrence is one node (<c>LstmSequenceNode</c>): a product and one sweep per step, backward through time
/// in one pass.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Lstm<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layers with PyTorch's default initialization drawn from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Lstm(int inputSize, int hiddenSize, RandomSource random, int layers = 1, bool batchFirst = false, bool bias = true)
        : base(inputSize, hiddenSize, layers, gates: 4, batchFirst, bias, random)
    {
    }

    /// <inheritdoc/>
    protected override bool HasCell => true;

    /// <inheritdoc/>
    protected override string Kind => "LSTM";

    /// <summary>
    /// The whole recurrence in one node (<c>LstmSequenceNode</c>), on the gates x·W_ihᵀ and the bias b_ih + b_hh,
    /// which the node adds as each step copies its gates.
    /// </summary>
    private protected override (Tensor<T> Output, Tensor<T> Hidden, Tensor<T>? Cell) Run(Tensor<T> inputs, Tensor<T> hidden, Tensor<T>? cell, int k)
    {
        int steps = inputs.Shape[0] / hidden.Shape[0];
        var gates = Tensor<T>.MatMul(inputs, Parameter($"weight_ih_l{k}"), transposeRight: true);
        var bias = HasBias ? Parameter($"bias_ih_l{k}") + Parameter($"bias_hh_l{k}") : null;
        var states = LstmSequenceNode<T>.Apply(gates, Parameter($"weight_hh_l{k}"), hidden, cell!, bias);
        return (states.Slice(0, 0, steps), states.Slice(0, steps - 1, 1).Reshape(hidden.Shape.ToArray()), states.Slice(0, steps, 1).Reshape(hidden.Shape.ToArray()));
    }
}
