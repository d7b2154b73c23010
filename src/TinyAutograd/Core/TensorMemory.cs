using System.Runtime.CompilerServices;

namespace TinyAutograd;

/// <summary>
/// Measures how much tensor memory a computation needs at once: the peak of the bytes held by live tensor buffers, the
/// quantity PyTorch reports as <c>max_memory_allocated</c>. A diagnostic: it collects garbage after every buffer, so
/// the measured call runs many times slower.
/// </summary>
/// <remarks>
/// <para>
/// Every buffer handed to a new tensor on this thread while <see cref="Measure"/> runs is followed with a weak
/// reference. Right after each one, a full blocking garbage collection runs and the probe sums the bytes of the
/// followed buffers that are still reachable. The live bytes only grow when a buffer is handed out, so their maximum
/// is reached right after one of these points: the peak is exact, not sampled. A buffer stops counting when nothing
/// references it any more (the runtime's view: a local that is not used again does not keep it), or when a
/// <see cref="TensorArena"/> gives it back to the pool; inside an arena every buffer stays reachable until the arena ends.
/// </para>
/// <para>
/// Buffers that existed before the call (inputs, parameters), and tensors that merely view them
/// (<see cref="Tensor{T}.Detach"/>, <see cref="Tensor{T}.Reshape(ReadOnlySpan{int})"/>), are not counted, so the peak is
/// what the call adds on top of its inputs. Memory that is not a tensor's (graph nodes, kernel scratch) is not counted either.
/// </para>
/// </remarks>
public static class TensorMemory
{
    private static readonly object s_followed = new();

    [ThreadStatic]
    private static Probe? t_probe;

    /// <summary>How many measurements run on any thread: a plain static read keeps the hot path off thread-local storage when none does.</summary>
    private static int s_running;

    /// <summary>Runs <paramref name="action"/> once and returns the tensor memory it used.</summary>
    /// <exception cref="InvalidOperationException">A measurement is already running on this thread.</exception>
    public static TensorMemoryUsage Measure(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (t_probe is not null)
        {
            throw new InvalidOperationException("TensorMemory.Measure: a measurement is already running on this thread; measurements do not nest.");
        }
        var probe = new Probe();
        t_probe = probe;
        Interlocked.Increment(ref s_running);
        try
        {
            action();
        }
        finally
        {
            Interlocked.Decrement(ref s_running);
            t_probe = null;
        }
        return new TensorMemoryUsage(probe.PeakBytes, probe.AllocatedBytes, probe.Buffers);
    }

    /// <summary>Notes a buffer that a new tensor received, when a measurement is running on this thread.</summary>
    internal static void HandedOut(Array buffer)
    {
        if (Volatile.Read(ref s_running) != 0)
        {
            t_probe?.Add(buffer);
        }
    }

    /// <summary>Notes a buffer that went back to the pool: it no longer counts as live.</summary>
    internal static void Returned(Array buffer)
    {
        if (Volatile.Read(ref s_running) != 0)
        {
            t_probe?.Remove(buffer);
        }
    }

    /// <summary>The buffers followed by one measurement and its running figures.</summary>
    private sealed class Probe
    {
        private readonly ConditionalWeakTable<Array, object> _live = [];

        public long PeakBytes { get; private set; }

        public long AllocatedBytes { get; private set; }

        public int Buffers { get; private set; }

        public void Add(Array buffer)
        {
            if (!_live.TryAdd(buffer, s_followed))
            {
                return;
            }
            AllocatedBytes += Buffer.ByteLength(buffer);
            Buffers++;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            long live = 0;
            foreach (var (followed, _) in _live)
            {
                live += Buffer.ByteLength(followed);
            }
            PeakBytes = Math.Max(PeakBytes, live);
            GC.KeepAlive(buffer);
        }

        public void Remove(Array buffer) => _live.Remove(buffer);
    }
}
