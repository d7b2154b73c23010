using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// What <see cref="Rnn{T}"/>, <see cref="Lstm{T}"/> and <see cref="Gru{T}"/> share: PyTorch's parameters and their
/// initialization, the loop over layers and steps, the batch-first layout and the checks of shapes.
/// </summary>
/// <remarks>
/// <para>
/// Layer k has <c>weight_ih_l{k}</c> [G·H, I_k], <c>weight_hh_l{k}</c> [G·H, H], <c>bias_ih_l{k}</c> and
/// <c>bias_hh_l{k}</c> [G·H], with G gates stacked in the order of the derived layer, H the hidden size, I₀ the input
/// size and I_k = H above. All start from U(−1/√H, 1/√H), drawn in that order, layer by layer, as PyTorch does.
/// </para>
/// <para>
/// At each step t the layer computes the gate pre-activations aₜ = xₜ·W_ihᵀ + b_ih and bₜ = hₜ₋₁·W_hhᵀ + b_hh (the
/// input products of all steps in one matrix product), and the derived layer's step turns them into the new state
/// (<see cref="RunSteps"/>; an LSTM runs the whole recurrence as one node instead, <c>LstmSequenceNode</c>, whose rules
/// fall back to differentiable tensor ops whenever anything is tracked). Layer k's outputs h₁…h_T are layer k + 1's inputs.
/// Gradients of every order (and Hessian-vector products) follow through time.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class RecurrentLayer<T> : Module<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _gates;

    /// <summary>Registers the parameters of <paramref name="layers"/> layers with <paramref name="gates"/> gates each.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    private protected RecurrentLayer(int inputSize, int hiddenSize, int layers, int gates, bool batchFirst, bool bias, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentNullException.ThrowIfNull(random);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Layers = layers;
        BatchFirst = batchFirst;
        HasBias = bias;
        _gates = gates;
        double bound = 1 / Math.Sqrt(hiddenSize);
        for (int k = 0; k < layers; k++)
        {
            Init.Uniform(RegisterParameter($"weight_ih_l{k}", Tensor.Zeros<T>(gates * hiddenSize, k == 0 ? inputSize : hiddenSize)), -bound, bound, random);
            Init.Uniform(RegisterParameter($"weight_hh_l{k}", Tensor.Zeros<T>(gates * hiddenSize, hiddenSize)), -bound, bound, random);
            if (bias)
            {
                Init.Uniform(RegisterParameter($"bias_ih_l{k}", Tensor.Zeros<T>(gates * hiddenSize)), -bound, bound, random);
                Init.Uniform(RegisterParameter($"bias_hh_l{k}", Tensor.Zeros<T>(gates * hiddenSize)), -bound, bound, random);
            }
        }
    }

    /// <summary>The size of each step's input features.</summary>
    public int InputSize { get; }

    /// <summary>The size H of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>The number of stacked layers.</summary>
    public int Layers { get; }

    /// <summary>Whether inputs and outputs are [batch, sequence, features] rather than [sequence, batch, features].</summary>
    public bool BatchFirst { get; }

    /// <summary>Whether the layers add the biases b_ih and b_hh.</summary>
    public bool HasBias { get; }

    /// <summary>Whether the state includes a cell state c (an LSTM).</summary>
    protected virtual bool HasCell => false;

    /// <summary>The layer's kind, as in its <see cref="Description"/> (e.g. "LSTM").</summary>
    protected abstract string Kind { get; }

    /// <inheritdoc/>
    public override string Description =>
        $"{Kind} {InputSize}→{HiddenSize}{(Layers > 1 ? $", {Layers} layers" : "")}{(BatchFirst ? ", batch-first" : "")}{(HasBias ? "" : ", no bias")}";

    /// <summary>
    /// Runs the sequence <paramref name="input"/> through every layer from <paramref name="initial"/> (zeros if null).
    /// </summary>
    /// <param name="input">[batch, sequence, input] when batch-first, else [sequence, batch, input].</param>
    /// <param name="initial">h₀ (and c₀ for an LSTM), each [layers, batch, hidden]; null for zeros.</param>
    /// <returns>The last layer's h at every step, and every layer's final state.</returns>
    /// <exception cref="ArgumentException">A shape does not fit; the message names the layer's path and configuration.</exception>
    public RecurrentResult<T> Forward(Tensor<T> input, RecurrentState<T>? initial = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        string layout = BatchFirst ? "batch, sequence" : "sequence, batch";
        if (input.Rank != 3 || input.Shape[2] != InputSize || input.Shape[0] == 0 || input.Shape[1] == 0)
        {
            throw ShapeError($"input has shape {input.Shape}, expected [{layout}, {InputSize}] with a non-empty batch and sequence");
        }
        var timeMajor = BatchFirst ? input.Permute(1, 0, 2) : input;
        int steps = timeMajor.Shape[0], batch = timeMajor.Shape[1];
        CheckState(initial, batch);
        var finalHidden = new Tensor<T>[Layers];
        var finalCell = new Tensor<T>?[Layers];
        var layerInput = timeMajor.Reshape(steps * batch, InputSize);
        Tensor<T> output = layerInput;
        for (int k = 0; k < Layers; k++)
        {
            var hidden = initial is null ? Tensor.Zeros<T>(batch, HiddenSize) : initial.Hidden.Slice(0, k, 1).Reshape(batch, HiddenSize);
            Tensor<T>? cell = !HasCell ? null
                : initial?.Cell is { } c0 ? c0.Slice(0, k, 1).Reshape(batch, HiddenSize) : Tensor.Zeros<T>(batch, HiddenSize);
            (output, finalHidden[k], finalCell[k]) = Run(layerInput, hidden, cell, k);
            layerInput = output.Reshape(steps * batch, HiddenSize);
        }
        var state = new RecurrentState<T>(Tensor<T>.Stack(0, finalHidden), HasCell ? Tensor<T>.Stack(0, finalCell!) : null);
        return new RecurrentResult<T>(BatchFirst ? output.Permute(1, 0, 2) : output, state);
    }

    /// <summary>
    /// Layer <paramref name="k"/> over the whole sequence from its initial state: every step's h, [T, B, H], and the
    /// final h (and c).
    /// </summary>
    /// <param name="inputs">The layer's inputs x, every step's in one matrix, [T·B, I_k].</param>
    /// <param name="hidden">h₀, [B, H].</param>
    /// <param name="cell">c₀, [B, H], for a layer with a cell state.</param>
    /// <param name="k">The layer's index.</param>
    private protected abstract (Tensor<T> Output, Tensor<T> Hidden, Tensor<T>? Cell) Run(Tensor<T> inputs, Tensor<T> hidden, Tensor<T>? cell, int k);

    /// <summary>
    /// <see cref="Run"/> step by step: the input products of all steps in one matrix product, then at each step
    /// <paramref name="step"/> turns the gate pre-activations x·W_ihᵀ + b_ih and h·W_hhᵀ + b_hh, each [batch, G·H], and
    /// the previous state into the new h (and c).
    /// </summary>
    private protected (Tensor<T> Output, Tensor<T> Hidden, Tensor<T>? Cell) RunSteps(Tensor<T> inputs, Tensor<T> hidden, Tensor<T>? cell, int k,
        Func<Tensor<T>, Tensor<T>, Tensor<T>, Tensor<T>?, (Tensor<T> Hidden, Tensor<T>? Cell)> step)
    {
        var inputGates = Affine(inputs, $"ih_l{k}");
        int batch = hidden.Shape[0];
        var outputs = new Tensor<T>[inputGates.Shape[0] / batch];
        for (int t = 0; t < outputs.Length; t++)
        {
            (hidden, cell) = step(inputGates.Slice(0, t * batch, batch), Affine(hidden, $"hh_l{k}"), hidden, cell);
            outputs[t] = hidden;
        }
        return (Tensor<T>.Stack(0, outputs), hidden, cell);
    }

    private Tensor<T> Affine(Tensor<T> rows, string suffix)
    {
        var product = Tensor<T>.MatMul(rows, Parameter($"weight_{suffix}"), transposeLeft: false, transposeRight: true);
        return HasBias ? product + Parameter($"bias_{suffix}") : product;
    }

    private void CheckState(RecurrentState<T>? initial, int batch)
    {
        if (initial is null)
        {
            return;
        }
        int[] expected = [Layers, batch, HiddenSize];
        if (!initial.Hidden.Shape.Dimensions.SequenceEqual(expected))
        {
            throw ShapeError($"initial hidden state has shape {initial.Hidden.Shape}, expected [{string.Join(", ", expected)}] (layers, batch, hidden)");
        }
        if (HasCell && initial.Cell is { } cell && !cell.Shape.Dimensions.SequenceEqual(expected))
        {
            throw ShapeError($"initial cell state has shape {cell.Shape}, expected [{string.Join(", ", expected)}] (layers, batch, hidden)");
        }
        if (!HasCell && initial.Cell is not null)
        {
            throw ShapeError($"an initial cell state was given, but a {Kind} has none");
        }
    }

    private ArgumentException ShapeError(string problem) => new($"{Label}: {problem}.");
}
