using System.Diagnostics;
using System.Runtime;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// Where a training loop's time goes once it is warmed up: fetching the next batch, forward and backward, finishing
/// the gradients' sums over the ranks, the optimizer's step, and (overlapping all of them) the garbage collector's
/// pauses. Each phase is a fraction of the timed wall-clock time; what the phases leave over is the loop itself.
/// </summary>
internal sealed class StepTimes
{
    private long _start;
    private long _elapsed;
    private TimeSpan _pausesAtStart;
    private TimeSpan _pauses;
    private int _collectionsAtStart;
    private TimeSpan? _waitAtStart;
    private TimeSpan? _wait;
    private long _compiledAtStart;
    private TimeSpan _compilingAtStart;
    private TimeSpan _compiling;

    /// <summary>Whether the clock runs (after the warm-up steps).</summary>
    public bool IsRunning { get; private set; }

    /// <summary>The examples trained on while the clock ran.</summary>
    public long Samples { get; private set; }

    /// <summary>Timestamp ticks spent on each phase while the clock ran.</summary>
    public long Data { get; private set; }

    /// <inheritdoc cref="Data"/>
    public long Compute { get; private set; }

    /// <inheritdoc cref="Data"/>
    public long Synchronize { get; private set; }

    /// <inheritdoc cref="Data"/>
    public long Step { get; private set; }

    /// <summary>The garbage collections (all generations) while the clock ran.</summary>
    public int Collections { get; private set; }

    /// <summary>The methods the just-in-time compiler compiled (on any thread) while the clock ran.</summary>
    public long CompiledMethods { get; private set; }

    /// <summary>Starts the clock.</summary>
    public void Start()
    {
        _pausesAtStart = GC.GetTotalPauseDuration();
        _collectionsAtStart = GC.CollectionCount(0);
        _compiledAtStart = JitInfo.GetCompiledMethodCount();
        _compilingAtStart = JitInfo.GetCompilationTime();
        _waitAtStart = ProcessorWait.OfCurrentThread();
        _start = Stopwatch.GetTimestamp();
        IsRunning = true;
    }

    /// <summary>Stops the clock.</summary>
    public void Stop()
    {
        _elapsed = Stopwatch.GetTimestamp() - _start;
        _pauses = GC.GetTotalPauseDuration() - _pausesAtStart;
        // A collection of generation 1 or 2 also collects generation 0, so this counts them all.
        Collections = GC.CollectionCount(0) - _collectionsAtStart;
        CompiledMethods = JitInfo.GetCompiledMethodCount() - _compiledAtStart;
        _compiling = JitInfo.GetCompilationTime() - _compilingAtStart;
        _wait = ProcessorWait.OfCurrentThread() - _waitAtStart;
        IsRunning = false;
    }

    /// <summary>Adds one step's phases, given as timestamps at their boundaries, and its examples (when the clock runs).</summary>
    public void Add(long begin, long fetched, long computed, long synchronized, long stepped, int samples)
    {
        if (!IsRunning)
        {
            return;
        }
        Data += fetched - begin;
        Compute += computed - fetched;
        Synchronize += synchronized - computed;
        Step += stepped - synchronized;
        Samples += samples;
    }

    /// <summary>The timed wall-clock seconds.</summary>
    public double Seconds => (double)_elapsed / Stopwatch.Frequency;

    /// <summary>Examples per second while the clock ran.</summary>
    public double SamplesPerSecond => Samples / Seconds;

    /// <summary>
    /// The fractions of the timed time in each phase, in the collector's pauses, waiting for a processor (NaN where
    /// unknown) and compiling (on any thread).
    /// </summary>
    public PhaseFractions Fractions() => new(
        Fraction(Data), Fraction(Compute), Fraction(Synchronize), Fraction(Step), _pauses.TotalSeconds / Seconds, Collections,
        _wait is { } wait ? wait.TotalSeconds / Seconds : double.NaN, _compiling.TotalSeconds / Seconds, CompiledMethods);

    private double Fraction(long ticks) => ticks / (double)_elapsed;
}

/// <summary>
/// The fractions of a training loop's time spent in each phase, in garbage-collection pauses and waiting for a
/// processor and compiling, with the collections and the methods compiled meanwhile (see <see cref="StepTimes"/>).
/// </summary>
internal sealed record PhaseFractions(double Data, double Compute, double Synchronize, double Step, double GarbageCollection, int Collections,
    double ProcessorWait, double Compiling, long CompiledMethods)
{
    /// <summary>The figures as one array, in the order of the record's parameters, to sum over the ranks.</summary>
    public double[] ToArray() => [Data, Compute, Synchronize, Step, GarbageCollection, Collections, ProcessorWait, Compiling, CompiledMethods];

    /// <summary>The inverse of <see cref="ToArray"/> on <paramref name="values"/>[<paramref name="start"/> …].</summary>
    public static PhaseFractions FromArray(ReadOnlySpan<double> values, int start) =>
        new(values[start], values[start + 1], values[start + 2], values[start + 3], values[start + 4], (int)values[start + 5],
            values[start + 6], values[start + 7], (long)values[start + 8]);

    /// <summary>How many numbers <see cref="ToArray"/> gives.</summary>
    public const int Length = 9;

    /// <summary>No loop timed: every fraction unknown.</summary>
    public static PhaseFractions None { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, double.NaN, double.NaN, 0);
}
