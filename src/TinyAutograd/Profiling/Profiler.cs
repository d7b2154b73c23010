using System.Diagnostics;

namespace TinyAutograd.Profiling;

/// <summary>
/// A profiling scope around any code (a training step, a custom op, a whole epoch): while it runs, every op records
/// its forward, backward and JVP time, its calls and input shapes, and its FLOPs and bytes by the op's formula, on
/// every thread. <see cref="Stop"/> returns the <see cref="ProfileReport"/>: a table sorted by total time, the same as
/// data, a Chrome trace and each op's place under the machine's roofline.
/// </summary>
/// <remarks>
/// <para>
/// One profiler runs at a time. Off, the recording point costs one check of a volatile field. An op's forward time
/// runs from its call (or, for an operator such as <c>a * b</c>, from the start of its computation) to the end of its
/// recording; a composite (<c>CrossEntropy</c>, <c>MatMul</c>, <c>Conv2d</c>, a custom op) counts as one op, its inner ops
/// included. The backward time of an op is its node's backward rule; a run of pointwise ops whose gradients the backward
/// pass adds in one fused pass is counted to the op where the run starts. A first-order optimizer's update is timed as an
/// op named after its method (<c>Adam.Step</c>), without a cost. Ops run on other threads are collected per
/// thread and merged when the profiler stops; they must have finished by then.
/// </para>
/// <para>
/// The first start measures the machine (<see cref="MachineLimits.Measured"/>, under a second), before timing begins.
/// </para>
/// </remarks>
/// <example>
/// A profiled forward and backward pass of a small layer, its table printed:
/// <code>
/// using TinyAutograd;
/// using TinyAutograd.Profiling;
///
/// var x = Tensor.Normal&lt;float&gt;([64, 128], seed: 1);
/// var w = Tensor.Normal&lt;float&gt;([128, 32], seed: 2).RequireGrad();
/// var profiler = Profiler.Start();
/// using (Profiler.Region("layer"))
/// {
///     x.MatMul(w).Tanh().Sum().Backward();
/// }
/// var report = profiler.Stop();
/// Console.WriteLine(report.Ops.Single(op =&gt; op.Name == "MatMul").Flops);   // 2·64·128·32 forward, as much again for ∂L/∂w
/// </code>
/// </example>
public sealed class Profiler : IDisposable
{
    private static readonly Lock s_gate = new();
    private static volatile Profiler? s_active;

    private readonly List<ProfileCollector> _collectors = [];
    private readonly MachineLimits _machine;
    private ProfileReport? _report;

    private Profiler(MachineLimits machine)
    {
        _machine = machine;
        StartTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Whether a profiler is running.</summary>
    public static bool IsRunning => s_active is not null;

    /// <summary>The running profiler, or null.</summary>
    internal static Profiler? Active => s_active;

    /// <summary>When the profiler started (a <see cref="Stopwatch"/> timestamp).</summary>
    internal long StartTimestamp { get; }

    /// <summary>Starts profiling every thread's ops until <see cref="Stop"/>.</summary>
    /// <exception cref="InvalidOperationException">Another profiler is running.</exception>
    public static Profiler Start()
    {
        var machine = MachineLimits.Measured;
        lock (s_gate)
        {
            if (s_active is not null)
            {
                throw new InvalidOperationException(
                    "Profiler.Start: a profiler is already running; stop it (or dispose it) before starting another. One profiler runs at a time.");
            }
            var profiler = new Profiler(machine);
            s_active = profiler;
            return profiler;
        }
    }

    /// <summary>Runs <paramref name="action"/> under a new profiler and returns its report.</summary>
    /// <exception cref="InvalidOperationException">Another profiler is running.</exception>
    public static ProfileReport Profile(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var profiler = Start();
        action();
        return profiler.Stop();
    }

    /// <summary>
    /// Enters the named region on this thread until the returned scope is disposed: the ops inside are tagged with it
    /// (nested regions join their names with <c>/</c>) and the region's own time is reported. Without a running profiler
    /// it does nothing, so regions may stay in code.
    /// </summary>
    /// <param name="name">The region's name, e.g. a layer's dotted name <c>blocks.0.attention</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or blank.</exception>
    public static ProfilerRegion Region(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var collector = ProfileCollector.OfThisThread();
        collector?.EnterRegion(name);
        return new ProfilerRegion(collector);
    }

    /// <summary>Stops profiling and returns what was recorded, merged over all threads.</summary>
    /// <exception cref="InvalidOperationException">The profiler was already stopped.</exception>
    public ProfileReport Stop()
    {
        long end = Stopwatch.GetTimestamp();
        lock (s_gate)
        {
            if (_report is not null || !ReferenceEquals(s_active, this))
            {
                throw new InvalidOperationException("Profiler.Stop: this profiler was already stopped; its report is the one the first Stop returned.");
            }
            s_active = null;
        }
        ProfileCollector[] collectors;
        lock (_collectors)
        {
            collectors = [.. _collectors];
        }
        var events = collectors.SelectMany(collector => collector.Events()).OrderBy(e => e.StartSeconds).ToArray();
        _report = new ProfileReport(events, (end - StartTimestamp) / (double)Stopwatch.Frequency, _machine);
        return _report;
    }

    /// <summary>Stops the profiler if it still runs, discarding its report.</summary>
    public void Dispose()
    {
        lock (s_gate)
        {
            if (ReferenceEquals(s_active, this))
            {
                s_active = null;
            }
        }
    }

    /// <summary>Adds a thread's collector (called once per thread, on its first record).</summary>
    internal void Register(ProfileCollector collector)
    {
        lock (_collectors)
        {
            _collectors.Add(collector);
        }
    }
}
