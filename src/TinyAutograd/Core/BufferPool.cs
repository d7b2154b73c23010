using System.Numerics;

namespace TinyAutograd;

/// <summary>
/// Per-thread stacks of recycled buffers, by exact length, fed by <see cref="TensorArena"/>. A stack keeps every buffer
/// a step gave back (a recurrent layer unrolled over 64 time steps returns hundreds of one length, all needed again by
/// the next step), up to <see cref="MaxPooledBytes"/> per thread and element type in all; beyond that, returned
/// buffers are left to the garbage collector.
/// </summary>
internal static class BufferPool<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A quarter of the memory available to the process (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>).</summary>
    private static readonly long MaxPooledBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    [ThreadStatic]
    private static Dictionary<int, Stack<T[]>>? t_free;

    [ThreadStatic]
    private static long t_pooledBytes;

    /// <summary>A recycled buffer of exactly <paramref name="length"/> elements, or null.</summary>
    public static T[]? Rent(int length)
    {
        if (t_free is { } free && free.TryGetValue(length, out var stack) && stack.TryPop(out var buffer))
        {
            t_pooledBytes -= BytesOf(length);
            return buffer;
        }
        return null;
    }

    /// <summary>Makes a buffer available again, unless the thread's pool already holds <see cref="MaxPooledBytes"/>.</summary>
    public static void Return(T[] buffer)
    {
        TensorMemory.Returned(buffer);
        long bytes = BytesOf(buffer.Length);
        if (t_pooledBytes + bytes > MaxPooledBytes)
        {
            return;
        }
        var free = t_free ??= [];
        if (!free.TryGetValue(buffer.Length, out var stack))
        {
            stack = new Stack<T[]>();
            free[buffer.Length] = stack;
        }
        stack.Push(buffer);
        t_pooledBytes += bytes;
    }

    private static unsafe long BytesOf(int length) => (long)length * sizeof(T);
}
