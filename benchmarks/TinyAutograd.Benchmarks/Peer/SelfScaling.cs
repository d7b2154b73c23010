using System.Diagnostics;
using System.Text.Json.Nodes;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// Our own speed-up over one thread, from back-to-back pairs of runs: the configured threads, then one thread, so that
/// both halves of a pair see the same machine (the host's other tenants come and go within a run, and separate runs
/// with 1 and 2 threads would compare different moments).
/// </summary>
internal static class SelfScaling
{
    /// <summary>How many (threads, one thread) pairs the speed-up is the median of.</summary>
    private const int Pairs = 7;

    /// <summary>Each half of a pair runs the workload for at least this long.</summary>
    private const double MinHalfSeconds = 0.02;

    /// <summary>
    /// Adds <c>speedup_over_1_thread</c> to <paramref name="record"/> when <see cref="Parallelism.MaxThreads"/> is more
    /// than one: the median over <see cref="Pairs"/> pairs of (time with one thread) ÷ (time with the configured threads).
    /// </summary>
    /// <param name="record">The workload's record.</param>
    /// <param name="action">One call of the workload, as it is timed (inside its arena, if any).</param>
    /// <param name="secondsPerCall">The measured time of one call, to size each half.</param>
    public static void AddTo(JsonObject record, Action action, double secondsPerCall)
    {
        if (Parallelism.MaxThreads > 1)
        {
            record["speedup_over_1_thread"] = OverOneThread(action, secondsPerCall);
        }
    }

    private static double OverOneThread(Action action, double secondsPerCall)
    {
        int threads = Parallelism.MaxThreads;
        int calls = Math.Max(1, (int)Math.Ceiling(MinHalfSeconds / secondsPerCall));
        var ratios = new double[Pairs];
        try
        {
            for (int i = 0; i < ratios.Length; i++)
            {
                Parallelism.MaxThreads = threads;
                double parallel = Time(action, calls);
                Parallelism.MaxThreads = 1;
                ratios[i] = Time(action, calls) / parallel;
            }
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
        return JsonLines.Round(Sampler.Median(ratios));
    }

    private static double Time(Action action, int calls)
    {
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            action();
        }
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
