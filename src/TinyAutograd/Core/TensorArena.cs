using System.Numerics;

namespace TinyAutograd;

/// <summary>
/// A scope whose tensors give their memory back for reuse when it ends, so that a steady training loop makes almost
/// no garbage: <c>using (TensorArena.Begin()) { forward; backward; optimizer.Step(); }</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every buffer of 256 elements or more allocated on this thread while the arena is the innermost one belongs to it
/// (smaller ones are cheap for the garbage collector and are left to it). When the arena is
/// disposed, those buffers go to a per-thread pool that later allocations of the same length draw from, and every
/// tensor that used one of them is retired: reading it afterwards throws an <see cref="ObjectDisposedException"/>
/// instead of showing recycled values. This includes the step's gradients (<c>Grad</c>) and intermediate results.
/// </para>
/// <para>
/// Buffers made outside the arena (parameters, data, optimizer state) are never touched, even when a tensor made
/// inside aliases them (<c>Reshape</c>, <c>Detach</c>). To take a result out of the arena, <see cref="Keep{T}"/> it
/// (its buffer then belongs to the enclosing arena, if any), or copy values out with <c>ToScalar</c> / <c>ToArray</c>.
/// Arenas nest and are per thread; dispose them in reverse order of creation (a <c>using</c> does).
/// </para>
/// </remarks>
public sealed class TensorArena : IDisposable
{
    /// <summary>Buffers shorter than this are left to the garbage collector: pooling them costs more than it saves.</summary>
    private const int MinPooledLength = 256;

    [ThreadStatic]
    private static TensorArena? t_current;

    private readonly TensorArena? _parent;
    private readonly Part<float> _floats = Part<float>.Rent();
    private readonly Part<double> _doubles = Part<double>.Rent();
    private bool _disposed;

    private TensorArena(TensorArena? parent) => _parent = parent;

    /// <summary>Starts an arena on the current thread; it is the innermost one until disposed.</summary>
    public static TensorArena Begin()
    {
        var arena = new TensorArena(t_current);
        t_current = arena;
        return arena;
    }

    /// <summary>Keeps <paramref name="tensor"/> (and any tensor sharing its buffer) alive past the end of this arena.</summary>
    /// <returns>The same tensor, for fluent use.</returns>
    public Tensor<T> Keep<T>(Tensor<T> tensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ObjectDisposedException.ThrowIf(_disposed, this);
        PartOf<T>().Keep(tensor.Storage);
        return tensor;
    }

    /// <summary>Recycles the arena's buffers and retires the tensors that used them.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        if (t_current != this)
        {
            throw new InvalidOperationException("TensorArena: arenas must be disposed in reverse order of creation, on the thread that began them.");
        }
        _disposed = true;
        t_current = _parent;
        _floats.Release(_parent?._floats);
        _doubles.Release(_parent?._doubles);
        Part<float>.Return(_floats);
        Part<double>.Return(_doubles);
    }

    /// <summary>Notes a tensor made while an arena is active, so that it can be retired with its buffer.</summary>
    internal static void Track<T>(Tensor<T> tensor, int storageLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (storageLength >= MinPooledLength)
        {
            t_current?.PartOf<T>().Track(tensor);
        }
    }

    /// <summary>A buffer of <paramref name="length"/> elements: recycled if the pool has one, else new; owned by the current arena.</summary>
    internal static T[] Allocate<T>(int length, bool clear)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length < MinPooledLength)
        {
            return new T[length];
        }
        var buffer = BufferPool<T>.Rent(length);
        if (buffer is null)
        {
            buffer = clear ? new T[length] : GC.AllocateUninitializedArray<T>(length);
        }
        else if (clear)
        {
            Array.Clear(buffer);
        }
        t_current?.PartOf<T>().Own(buffer);
        return buffer;
    }

    private Part<T> PartOf<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? (Part<T>)(object)_floats : (Part<T>)(object)_doubles;

    /// <summary>The buffers and tensors of one element type; its collections are reused by the thread's next arena.</summary>
    private sealed class Part<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static Stack<Part<T>>? t_spares;

        private readonly HashSet<T[]> _owned = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<T[]> _kept = new(ReferenceEqualityComparer.Instance);
        private readonly List<Tensor<T>> _tensors = [];

        public static Part<T> Rent() => t_spares is { Count: > 0 } spares ? spares.Pop() : new Part<T>();

        public static void Return(Part<T> part)
        {
            part._owned.Clear();
            part._kept.Clear();
            part._tensors.Clear();
            (t_spares ??= new Stack<Part<T>>()).Push(part);
        }

        public void Own(T[] buffer) => _owned.Add(buffer);

        public void Track(Tensor<T> tensor) => _tensors.Add(tensor);

        public void Keep(T[] buffer) => _kept.Add(buffer);

        public void Release(Part<T>? parent)
        {
            foreach (var buffer in _kept)
            {
                if (_owned.Remove(buffer))
                {
                    parent?.Own(buffer);
                }
            }
            foreach (var tensor in _tensors)
            {
                if (_owned.Contains(tensor.Storage))
                {
                    tensor.Retire();
                }
                else
                {
                    parent?.Track(tensor);
                }
            }
            foreach (var buffer in _owned)
            {
                BufferPool<T>.Return(buffer);
            }
        }
    }
}
