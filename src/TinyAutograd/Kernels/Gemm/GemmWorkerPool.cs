using System.Runtime.ExceptionServices;

namespace TinyAutograd.Kernels;

/// <summary>
/// Runs the parts of one split product on the calling thread plus parked background workers, without allocating
/// once the workers exist: the job is a function pointer and an untyped pointer to the caller's (pinned, stack)
/// state, published in static fields rather than captured in a closure. The caller runs part 0 and returns only
/// after every part has finished, so the state it points to outlives the job.
/// </summary>
/// <remarks>
/// One job uses the workers at a time. A call that finds them busy (another user thread, or a call made from
/// inside a part) runs all its parts one after another on its own thread instead: the same parts give the same
/// result, and no call ever waits for another job, so nothing can deadlock. An exception thrown by any part is
/// rethrown on the calling thread after all parts have stopped.
/// </remarks>
internal static unsafe class GemmWorkerPool
{
    private static readonly ManualResetEventSlim AllDone = new(initialState: false);

    private static GemmWorker[] _workers = [];
    private static int _busy;
    private static delegate*<void*, int, void> _part;
    private static void* _state;
    private static int _pending;
    private static ExceptionDispatchInfo? _failure;

    /// <summary>Runs <c>part(state, i)</c> for every <c>i</c> in [0, <paramref name="parts"/>).</summary>
    public static void Run(delegate*<void*, int, void> part, void* state, int parts)
    {
        if (parts <= 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < parts; i++)
            {
                part(state, i);
            }

            return;
        }

        try
        {
            RunShared(part, state, parts);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Runs one part on a worker thread and signals the caller when it was the last one pending.</summary>
    internal static void RunWorkerPart(int index)
    {
        try
        {
            _part(_state, index);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
        }
        finally
        {
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                AllDone.Set();
            }
        }
    }

    /// <summary>Called only while holding <see cref="_busy"/>, so the job fields and workers are ours.</summary>
    private static void RunShared(delegate*<void*, int, void> part, void* state, int parts)
    {
        EnsureWorkers(parts - 1);
        _part = part;
        _state = state;
        _failure = null;
        _pending = parts - 1;
        for (int i = 1; i < parts; i++)
        {
            _workers[i - 1].Start(i);
        }

        try
        {
            part(state, 0);
        }
        finally
        {
            AllDone.Wait();
            AllDone.Reset();
        }

        ExceptionDispatchInfo? failure = _failure;
        _failure = null;
        failure?.Throw();
    }

    private static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count)
        {
            return;
        }

        var grown = new GemmWorker[count];
        _workers.CopyTo(grown, 0);
        for (int i = _workers.Length; i < count; i++)
        {
            grown[i] = new GemmWorker();
        }

        _workers = grown;
    }
}
