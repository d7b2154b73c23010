using System.Numerics;

namespace TinyAutograd;

/// <summary>Per-thread stacks of recycled buffers, by exact length, fed by <see cref="TensorArena"/>.</summary>
internal static class BufferPool<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int MaxBuffersPerLength = 64;

    [ThreadStatic]
    private static Dictionary<int, Stack<T[]>>? t_free;

    /// <summary>A recycled buffer of exactly <paramref name="length"/> elements, or null.</summary>
    public static T[]? Rent(int length) =>
        t_free is { } free && free.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : null;

    /// <summary>Makes a buffer available again; beyond a bound per length it is left to the garbage collector.</summary>
    public static void Return(T[] buffer)
    {
        TensorMemory.Returned(buffer);
        var free = t_free ??= [];
        if (!free.TryGetValue(buffer.Length, out var stack))
        {
            stack = new Stack<T[]>();
            free[buffer.Length] = stack;
        }
        if (stack.Count < MaxBuffersPerLength)
        {
            stack.Push(buffer);
        }
    }
}
