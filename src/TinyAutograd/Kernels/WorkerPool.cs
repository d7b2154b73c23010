using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace TinyAutograd.Kernels;

/// <summary>
/// Runs the parts of one split kernel call (a product, a batch, ranges of elements) on the calling thread plus parked background workers, without allocating
/// once the workers exist: the job is a function pointer and an untyped pointer to the caller's (pinned, stack)
/// state, published in static fields rather than captured in a closure. Parts are claimed one at a time by whoever
/// is free, so a worker that is slow to wake (the machine busy with other work) delays nothing: the caller, after
/// its own part 0, takes the worker's part. The caller returns only after every part has finished, so the state it
/// points to outlives the job.
/// </summary>
/// <remarks>
/// One job uses the workers at a time. A call that finds them busy (another user thread, or a call made from
/// inside a part) runs all its parts one after another on its own thread instead: the same parts give the same
/// result, and no call ever waits for another job, so nothing can deadlock. An exception thrown by any part is
/// rethrown on the calling thread after all parts have stopped.
/// <para>
/// A training step runs one split call after another (the products of each layer, then their backward). Waking a
/// parked thread takes the scheduler tens of microseconds, more in a virtual machine, which is a large share of a
/// medium product; so a worker that runs out of parts keeps polling for the next job for <see cref="PollTime"/> before
/// it parks, and the caller polls as long for the workers' last parts before it parks, as OpenMP runtimes do with
/// their spin count.
/// </para>
/// </remarks>
internal static unsafe class WorkerPool
{
    /// <summary>Pulsed when the last part of a job finishes.</summary>
    private static readonly object Finished = new();

    private static Worker[] _workers = [];
    private static int _busy;
    private static delegate*<void*, int, void> _part;
    private static void* _state;

    /// <summary>
    /// Whether a job holds the workers: code running inside one of its parts (or beside it, on a thread of its own) gets
    /// no more threads, as <see cref="Run"/> would run its parts one after another on the calling thread.
    /// </summary>
    internal static bool IsBusy => Volatile.Read(ref _busy) != 0;

    /// <summary>
    /// Job number in the high 32 bits, in the low 32 the count c of parts not yet claimed: parts 1 … c are left.
    /// A worker that wakes late can only claim from the job current at that moment, since one word carries both.
    /// </summary>
    private static long _claims;

    private static int _unfinished;
    private static ExceptionDispatchInfo? _failure;

    /// <summary>
    /// How long a thread polls before it parks: 0.2 ms, several times a parked thread's wake-up, and short beside a
    /// step of the models that use more than one thread; only a thread that just ran a part of a split call polls.
    /// </summary>
    private static readonly long PollTime = Stopwatch.Frequency / 5000;

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

    /// <summary>Runs parts of the current job until none is left unclaimed (part 0 is the caller's own).</summary>
    internal static void Help()
    {
        long word = Volatile.Read(ref _claims);
        while ((int)word > 0)
        {
            long seen = Interlocked.CompareExchange(ref _claims, word - 1, word);
            if (seen == word)
            {
                RunClaimed((int)word);
                word = Volatile.Read(ref _claims);
            }
            else
            {
                word = seen;
            }
        }
    }

    /// <summary>Polls, for at most <see cref="PollTime"/>, until a worker's job has unclaimed parts; returns whether it has (else the worker parks).</summary>
    internal static bool AwaitWork() => PollUntil(static () => (int)Volatile.Read(ref _claims) > 0);

    /// <summary>Polls <paramref name="condition"/> for at most <see cref="PollTime"/>; returns whether it became true.</summary>
    private static bool PollUntil(Func<bool> condition)
    {
        long deadline = Stopwatch.GetTimestamp() + PollTime;
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }
            Thread.SpinWait(16);
        }
        return true;
    }

    /// <summary>Called only while holding <see cref="_busy"/>, so the job fields and workers are ours.</summary>
    private static void RunShared(delegate*<void*, int, void> part, void* state, int parts)
    {
        EnsureWorkers(parts - 1);
        _part = part;
        _state = state;
        _failure = null;
        _unfinished = parts;
        long job = (_claims >> 32) + 1;
        Volatile.Write(ref _claims, (job << 32) | (uint)(parts - 1));
        for (int i = 0; i < parts - 1; i++)
        {
            _workers[i].Wake();
        }

        RunClaimed(0);
        Help();
        WaitUntilFinished();
        ExceptionDispatchInfo? failure = _failure;
        _failure = null;
        failure?.Throw();
    }

    private static void RunClaimed(int index)
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
            if (Interlocked.Decrement(ref _unfinished) == 0)
            {
                lock (Finished)
                {
                    Monitor.PulseAll(Finished);
                }
            }
        }
    }

    /// <summary>
    /// Waits for the parts still running on workers: polling for up to <see cref="PollTime"/> first, as they usually
    /// end about when the caller's own parts do, then parking.
    /// </summary>
    private static void WaitUntilFinished()
    {
        PollUntil(static () => Volatile.Read(ref _unfinished) == 0);

        lock (Finished)
        {
            while (Volatile.Read(ref _unfinished) > 0)
            {
                Monitor.Wait(Finished);
            }
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count)
        {
            return;
        }

        var grown = new Worker[count];
        _workers.CopyTo(grown, 0);
        for (int i = _workers.Length; i < count; i++)
        {
            grown[i] = new Worker();
        }

        _workers = grown;
    }
}
