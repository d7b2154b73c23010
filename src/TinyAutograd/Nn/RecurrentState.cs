using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// The state a recurrent layer carries between steps: the hidden state h of every layer, and for an LSTM its cell
/// state c, each of shape [layers, batch, hidden] (PyTorch's <c>h_0</c>/<c>h_n</c> and <c>c_0</c>/<c>c_n</c>).
/// </summary>
/// <param name="Hidden">h, of shape [layers, batch, hidden].</param>
/// <param name="Cell">c, of shape [layers, batch, hidden], for an LSTM; null otherwise.</param>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed record RecurrentState<T>(Tensor<T> Hidden, Tensor<T>? Cell = null)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The same values cut from the graph: passing the detached final state of one chunk as the initial state of the
    /// next is truncated backpropagation through time (gradients stop at the chunk boundary).
    /// </summary>
    public RecurrentState<T> Detach() => new(Hidden.Detach(), Cell?.Detach());
}

/// <summary>What a recurrent layer returns: every step's output of the last layer, and the final state of every layer.</summary>
/// <param name="Output">h of the last layer at every step: [batch, sequence, hidden] when batch-first, else [sequence, batch, hidden].</param>
/// <param name="State">The state after the last step (h_n, and c_n for an LSTM), each [layers, batch, hidden].</param>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed record RecurrentResult<T>(Tensor<T> Output, RecurrentState<T> State)
    where T : unmanaged, IFloatingPointIeee754<T>;
