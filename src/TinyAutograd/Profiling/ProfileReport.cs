namespace TinyAutograd.Profiling;

/// <summary>
/// What a <see cref="Profiler"/> recorded: every timed event, the per-op rows sorted by total time, the named regions,
/// the time outside ops and the machine's limits; as a table for a terminal and as a Chrome trace.
/// </summary>
/// <remarks>
/// <see cref="OutsideOpsSeconds"/> = <see cref="WallSeconds"/> − <see cref="OpsSeconds"/>: the time of code that is no
/// op (an optimizer's update, data handling, the profiler's own bookkeeping). With ops on several threads at once the
/// ops' time can exceed the wall time, and the difference is then negative.
/// </remarks>
public sealed class ProfileReport
{
    internal ProfileReport(IReadOnlyList<ProfileEvent> events, double wallSeconds, MachineLimits machine)
    {
        Events = events;
        WallSeconds = wallSeconds;
        Machine = machine;
        Ops = [.. events.Where(e => e.Kind != ProfileEventKind.Region)
            .GroupBy(e => (e.Name, e.ElementType))
            .Select(group => Row(group.Key.Name, group.Key.ElementType, [.. group]))
            .OrderByDescending(row => row.TotalSeconds)
            .ThenBy(row => row.Name, StringComparer.Ordinal)];
        OpsSeconds = Ops.Sum(row => row.TotalSeconds);
        Regions = [.. events.Where(e => e.Kind == ProfileEventKind.Region)
            .GroupBy(e => e.Region)
            .Select(group => new RegionProfile(group.Key, group.Count(), group.Sum(e => e.DurationSeconds), OpsSecondsIn(group.Key)))
            .OrderBy(region => region.Path, StringComparer.Ordinal)];
    }

    /// <summary>Every timed interval, in order of start.</summary>
    public IReadOnlyList<ProfileEvent> Events { get; }

    /// <summary>The ops, summed over calls, by decreasing total time.</summary>
    public IReadOnlyList<OpProfile> Ops { get; }

    /// <summary>The named regions, by path.</summary>
    public IReadOnlyList<RegionProfile> Regions { get; }

    /// <summary>The time from the profiler's start to its stop, in seconds.</summary>
    public double WallSeconds { get; }

    /// <summary>The ops' forward, backward and JVP time summed over all ops and threads, in seconds.</summary>
    public double OpsSeconds { get; }

    /// <summary>The wall time not spent in ops: <see cref="WallSeconds"/> − <see cref="OpsSeconds"/>.</summary>
    public double OutsideOpsSeconds => WallSeconds - OpsSeconds;

    /// <summary>The machine's measured limits, the roofline's ceilings.</summary>
    public MachineLimits Machine { get; }

    /// <summary>The op named <paramref name="name"/> (the first element type found), or null when it did not run.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public OpProfile? Op(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Ops.FirstOrDefault(row => row.Name == name);
    }

    /// <summary>
    /// The table of ops sorted by total time, for a terminal: calls, forward, backward and JVP milliseconds, share of
    /// the wall time, GFLOP, GB, GFLOP/s, GB/s, the binding ceiling and the percent of it reached; then the time
    /// outside ops, the regions and the machine's limits.
    /// </summary>
    /// <param name="maxRows">How many ops to list at most (the rest are summed in one line).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is less than 1.</exception>
    public string FormatTable(int maxRows = 25)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        return ProfileTable.Format(this, maxRows);
    }

    /// <inheritdoc cref="FormatTable"/>
    public override string ToString() => FormatTable();

    /// <summary>
    /// Writes the events as Chrome trace-event JSON (complete events, "ph": "X", times in microseconds), which Perfetto
    /// and chrome://tracing open: per thread, forward ops, backward rules, tangents and regions on tracks of their own.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void WriteChromeTrace(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ChromeTrace.Write(this, stream);
    }

    /// <summary>Writes the Chrome trace (<see cref="WriteChromeTrace(Stream)"/>) to the file <paramref name="path"/>, replacing it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    public void WriteChromeTrace(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = File.Create(path);
        ChromeTrace.Write(this, file);
    }

    private OpProfile Row(string name, string elementType, ProfileEvent[] events)
    {
        double forward = 0, backward = 0, jvp = 0;
        int calls = 0, backwardCalls = 0;
        long flops = 0, bytes = 0;
        bool costed = false, shapesWanted = false;
        var shapes = new List<IReadOnlyList<Shape>>();
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case ProfileEventKind.Forward:
                    forward += e.DurationSeconds;
                    calls += e.StartsCall ? 1 : 0;
                    // A call's shapes are those of its first record that knows them (a composite's first inner node, a custom op's own).
                    shapesWanted |= e.StartsCall;
                    if (shapesWanted && e.InputShapes.Count > 0)
                    {
                        if (!shapes.Exists(known => known.SequenceEqual(e.InputShapes)))
                        {
                            shapes.Add(e.InputShapes);
                        }
                        shapesWanted = false;
                    }
                    break;
                case ProfileEventKind.Backward:
                    backward += e.DurationSeconds;
                    backwardCalls++;
                    break;
                default:
                    jvp += e.DurationSeconds;
                    break;
            }
            if (e.Cost is { } cost)
            {
                (flops, bytes, costed) = (flops + cost.Flops, bytes + cost.Bytes, true);
            }
        }
        double timed = forward + backward;
        double? gflops = costed && timed > 0 ? flops / timed / 1e9 : null;
        double? gigabytes = costed && timed > 0 ? bytes / timed / 1e9 : null;
        double? intensity = costed && bytes > 0 ? (double)flops / bytes : null;
        RooflineBound? bound = !costed ? null
            : intensity is not { } i || i >= Machine.PeakGflops(elementType) / Machine.BandwidthGigabytesPerSecond ? RooflineBound.Compute : RooflineBound.Memory;
        double? percent = gflops is { } g && gigabytes is { } b && (flops > 0 || bytes > 0) ? Machine.PercentOfRoof(g, b, elementType) : null;
        return new OpProfile(name, elementType, calls > 0 ? calls : backwardCalls, backwardCalls, forward, backward, jvp,
            WallSeconds > 0 ? 100 * (forward + backward + jvp) / WallSeconds : 0,
            costed ? flops : null, costed ? bytes : null, gflops, gigabytes, intensity, bound, percent, [.. shapes.Select(signature => string.Join(" ", signature))]);
    }

    private double OpsSecondsIn(string path) => Events
        .Where(e => e.Kind != ProfileEventKind.Region && (e.Region == path || e.Region.StartsWith(path + "/", StringComparison.Ordinal)))
        .Sum(e => e.DurationSeconds);
}
