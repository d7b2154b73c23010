using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// The state a recurrent layer carries between steps: the hidden state h of every layer, and for an LSTM its cell
/// state c, each of shape [layers, batch, hidden] (PyTorch's <c>h_0</c>/<c>h_n</c> and <c>c_0</c>/<c>c_n</c>).
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RecurrentState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Holds h and, for an LSTM, c.</summary>
    /// <param name="hidden">h, of shape [layers, batch, hidden].</param>
    /// <param name="cell">c, of shape [layers, batch, hidden], for an LSTM; null otherwise.</param>
    /// <exception cref="ArgumentNullException"><paramref name="hidden"/> is null.</exception>
    public RecurrentState(Tensor<T> hidden, Tensor<T>? cell = null)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        Hidden = hidden;
        Cell = cell;
    }

    /// <summary>h, of shape [layers, batch, hidden].</summary>
    public Tensor<T> Hidden { get; }

    /// <summary>c, of shape [layers, batch, hidden], for an LSTM; null otherwise.</summary>
    public Tensor<T>? Cell { get; }

    /// <summary>
    /// The same values cut from the graph: passing the detached final state of one chunk as the initial state of the
    /// next is truncated backpropagation through time (gradients stop at the chunk boundary).
    /// </summary>
    public RecurrentState<T> Detach() => new(Hidden.Detach(), Cell?.Detach());
}
