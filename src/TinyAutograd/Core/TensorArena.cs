using System.Numerics;

namespace TinyAutograd;

/// <summary>
/// A scope whose tensors give their memory back for reuse when it ends, so that a steady training loop makes almost
/// no garbage: <c>using (TensorArena.Begin()) { forward; backward; optimizer.Step(); }</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every tensor buffer allocated on this thread while the arena is the innermost one belongs to it, whatever its size.
/// When the arena is disposed, every tensor that used one of them is retired: reading it afterwards throws an
/// <see cref="ObjectDisposedException"/> instead of showing recycled values. This includes intermediate results and
/// the gradients of tensors made inside the arena. Buffers of 32 elements or more go to a per-thread pool that later
/// allocations of the same length draw from; smaller ones (scalars, the tape's one-element tensors) are left to the
/// garbage collector.
/// </para>
/// <para>
/// A gradient belongs where the tensor it is the gradient of belongs: a <c>Grad</c> assigned inside an arena (by
/// <c>Backward</c> or by the caller) to a tensor made outside it, such as a parameter, is not the arena's, so gradients
/// accumulate across arenas (micro-batches) and survive until <c>ZeroGrad</c>.
/// </para>
/// <para>
/// Buffers made outside the arena (parameters, data, optimizer state) are never touched, even when a tensor made
/// inside aliases them (<c>Reshape</c>, <c>Detach</c>). To take a result out of the arena, <see cref="Keep{T}"/> it
/// (its buffer and its gradient's then belong to the enclosing arena, if any), or copy values out with <c>ToScalar</c> / <c>ToArray</c>.
/// Arenas nest and are per thread; dispose them in reverse order of creation (a <c>using</c> does).
/// </para>
/// </remarks>
public sealed class TensorArena : IDisposable
{
    /// <summary>
    /// Buffers shorter than this are left to the garbage collector: pooling them costs more than it saves. Longer ones,
    /// down to a batch's per-example losses and a layer's bias gradient, are pooled, so a steady step makes no new buffer.
    /// </summary>
    private const int MinPooledLength = 32;

    [ThreadStatic]
    private static TensorArena? t_current;

    /// <summary>
    /// How many arenas are open on any thread. A thread sees its own arenas counted, so while the count is zero no
    /// thread has one, and making a tensor reads this plain static instead of thread-local storage.
    /// </summary>
    private static int s_open;

    private readonly TensorArena? _parent;
    private readonly Part<float> _floats = Part<float>.Rent();
    private readonly Part<double> _doubles = Part<double>.Rent();
    private bool _disposed;

    private TensorArena(TensorArena? parent) => _parent = parent;

    /// <summary>Starts an arena on the current thread; it is the innermost one until disposed.</summary>
    public static TensorArena Begin()
    {
        var arena = new TensorArena(t_current);
        Interlocked.Increment(ref s_open);
        t_current = arena;
        return arena;
    }

    /// <summary>Keeps <paramref name="tensor"/>, its <c>Grad</c> and any tensor sharing their buffers alive past the end of this arena.</summary>
    /// <returns>The same tensor, for fluent use.</returns>
    /// <exception cref="ObjectDisposedException">The arena has ended, or the tensor was already retired.</exception>
    public Tensor<T> Keep<T>(Tensor<T> tensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ObjectDisposedException.ThrowIf(_disposed, this);
        tensor.ThrowIfRetired();
        PartOf<T>().Keep(tensor.Buffer);
        if (tensor.Grad is { } gradient)
        {
            gradient.ThrowIfRetired();
            PartOf<T>().Keep(gradient.Buffer);
        }
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
        Interlocked.Decrement(ref s_open);
        _floats.Release(_parent?._floats);
        _doubles.Release(_parent?._doubles);
        Part<float>.Return(_floats);
        Part<double>.Return(_doubles);
    }

    /// <summary>The calling thread's innermost open arena, or null.</summary>
    private static TensorArena? Current => s_open == 0 ? null : t_current;

    /// <summary>Notes a tensor made while an arena is active, so that it can be retired with its buffer.</summary>
    internal static void Track<T>(Tensor<T> tensor)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Current?.PartOf<T>().Track(tensor);

    /// <summary>
    /// Moves <paramref name="gradient"/> (a buffer of the current arena) to the arena that owns <paramref name="owner"/>,
    /// or out of every arena when none does, so that a gradient lives as long as the tensor it belongs to.
    /// </summary>
    internal static void MoveToOwnerOf<T>(T[] gradient, T[] owner)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ownerArena = t_current;
        while (ownerArena is not null && !ownerArena.PartOf<T>().Owns(owner))
        {
            ownerArena = ownerArena._parent;
        }
        for (var arena = t_current; arena != ownerArena; arena = arena!._parent)
        {
            if (arena!.PartOf<T>().Disown(gradient))
            {
                ownerArena?.PartOf<T>().Own(gradient);
                return;
            }
        }
    }

    /// <summary>
    /// Retires <paramref name="tensor"/>, whose buffer nothing else uses, and returns that buffer to the pool; a buffer
    /// that a live arena owns is left alone, for that arena to recycle when it ends.
    /// </summary>
    internal static void Recycle<T>(Tensor<T> tensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var buffer = tensor.Buffer;
        for (var arena = t_current; arena is not null; arena = arena._parent)
        {
            if (arena.PartOf<T>().Owns(buffer))
            {
                return;
            }
        }
        tensor.Retire();
        if (buffer.Length >= MinPooledLength)
        {
            BufferPool<T>.Return(buffer);
        }
    }

    /// <summary>A buffer of <paramref name="length"/> elements: recycled if the pool has one, else new; owned by the current arena.</summary>
    internal static T[] Allocate<T>(int length, bool clear)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length < MinPooledLength)
        {
            var small = new T[length];
            Current?.PartOf<T>().Own(small);
            return small;
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
        Current?.PartOf<T>().Own(buffer);
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

        public bool Owns(T[] buffer) => _owned.Contains(buffer);

        public bool Disown(T[] buffer) => _owned.Remove(buffer);

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
            // All that go are marked first, so that retiring one computes only the deferred tensors that outlive the arena.
            foreach (var tensor in _tensors)
            {
                if (_owned.Contains(tensor.Buffer))
                {
                    tensor.MarkRetiring();
                }
            }
            foreach (var tensor in _tensors)
            {
                if (_owned.Contains(tensor.Buffer))
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
                if (buffer.Length >= MinPooledLength)
                {
                    BufferPool<T>.Return(buffer);
                }
            }
        }
    }
}
