using System.Numerics;

namespace TinyAutograd.Optim;

/// <summary>
/// What an optimizer remembers about one parameter between steps: how many updates it has applied, and named buffers
/// of the parameter's length (Adam's "s" and "r", momentum's "update", …).
/// </summary>
/// <remarks>
/// Buffers are allocated once, zero-filled, the first time a method asks for them, and reused at every step after
/// that. <see cref="Optimizer{T}.SaveState"/> copies them all, so a method that keeps its memory here gets saving and
/// loading for free. Each optimizer's documentation lists the buffer names it uses.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ParameterState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<string, T[]> _buffers = new(StringComparer.Ordinal);

    internal ParameterState(int length) => Length = length;

    /// <summary>The number of elements of the parameter, and so of every buffer.</summary>
    public int Length { get; }

    /// <summary>The number of updates applied to this parameter (Adam's t after the step's increment).</summary>
    public long Step { get; set; }

    /// <summary>The buffers by name, for inspection (e.g. plotting Adam's second moment).</summary>
    public IReadOnlyDictionary<string, T[]> Buffers => _buffers;

    /// <summary>The buffer called <paramref name="name"/>, created zero-filled on first use.</summary>
    public T[] Buffer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_buffers.TryGetValue(name, out var buffer))
        {
            buffer = new T[Length];
            _buffers.Add(name, buffer);
        }
        return buffer;
    }

    /// <summary>Forgets every buffer and the step count.</summary>
    internal void Clear()
    {
        _buffers.Clear();
        Step = 0;
    }
}
