using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>What a recurrent layer returns: every step's output of the last layer, and the final state of every layer.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RecurrentResult<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Holds the outputs and the final state.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public RecurrentResult(Tensor<T> output, RecurrentState<T> state)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(state);
        Output = output;
        State = state;
    }

    /// <summary>h of the last layer at every step: [batch, sequence, hidden] when batch-first, else [sequence, batch, hidden].</summary>
    public Tensor<T> Output { get; }

    /// <summary>The state after the last step (h_n, and c_n for an LSTM), each [layers, batch, hidden].</summary>
    public RecurrentState<T> State { get; }

    /// <summary>Splits into (<see cref="Output"/>, <see cref="State"/>).</summary>
    public void Deconstruct(out Tensor<T> output, out RecurrentState<T> state)
    {
        output = Output;
        state = State;
    }
}
