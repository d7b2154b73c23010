using System.Diagnostics;

namespace TinyAutograd.Profiling;

/// <summary>
/// One thread's share of a running <see cref="Profiler"/>: the records open on the thread, its region stack and the
/// events it timed. Only its own thread writes to it; the profiler reads its events when it stops.
/// </summary>
/// <remarks>
/// Records of one thread never overlap: while one is open (Depth &gt; 0), the ops that its rule or tangent runs belong to
/// it and open nothing. A forward record starts at its call's start mark or at the end of the thread's previous
/// record, whichever is later, so that the records of a composite (whose inner ops share the composite's mark) tile
/// its time without counting any part twice.
/// </remarks>
internal sealed class ProfileCollector
{
    [ThreadStatic]
    private static ProfileCollector? t_current;

    /// <summary>Blocks of events, each under the large-object heap's threshold, so that a long profile never copies or pins a huge array.</summary>
    private readonly List<ProfileEvent[]> _blocks = [];
    private int _lastBlockCount = BlockLength;
    private const int BlockLength = 512;
    private readonly Lock _gate = new();
    private readonly Stack<(string OuterPath, string Name, long Start)> _regions = new();
    private string _regionPath = "";
    private long _lastEnd;
    private long _lastMark;

    private ProfileEventKind _kind;
    private string _name = "";
    private long _start;
    private long _mark;
    private bool _startsCall;
    private OperationCost? _cost;
    private string _elementType = "";
    private Shape[] _shapes = [];
    private long _jvpStart;
    private long _jvpTicks;

    private ProfileCollector(Profiler session)
    {
        Session = session;
        ThreadId = Environment.CurrentManagedThreadId;
        _lastEnd = session.StartTimestamp;
    }

    /// <summary>The profiler this collector reports to.</summary>
    public Profiler Session { get; }

    /// <summary>The thread it belongs to.</summary>
    public int ThreadId { get; }

    /// <summary>How many records are open: 0 none, 1 an op's forward or backward, 2 the tangent inside a forward.</summary>
    public int Depth { get; private set; }

    /// <summary>The calling thread's collector for the running profiler, made on first use; null when none runs.</summary>
    public static ProfileCollector? OfThisThread()
    {
        var session = Profiler.Active;
        if (session is null)
        {
            return null;
        }
        var current = t_current;
        if (current is null || !ReferenceEquals(current.Session, session))
        {
            current = new ProfileCollector(session);
            session.Register(current);
            t_current = current;
        }
        return current;
    }

    /// <summary>Opens an op's forward record; <paramref name="mark"/> is its call's start mark (0 when it has none).</summary>
    public void BeginForward(string name, long mark, OperationCost? cost, string elementType, Shape[] shapes)
    {
        Open(ProfileEventKind.Forward, name, Math.Max(mark, _lastEnd), cost, elementType, shapes);
        _mark = mark;
        _startsCall = mark == 0 || mark != _lastMark;
    }

    /// <summary>Opens the record of an op's backward rule, starting now.</summary>
    public void BeginBackward(string name, OperationCost? cost, string elementType, Shape[] shapes)
    {
        Open(ProfileEventKind.Backward, name, Stopwatch.GetTimestamp(), cost, elementType, shapes);
        _mark = _lastMark;
        _startsCall = true;
    }

    /// <summary>Starts timing the tangent of the open forward record; false (nothing started) outside one.</summary>
    public bool BeginJvp()
    {
        if (Depth != 1 || _kind != ProfileEventKind.Forward)
        {
            return false;
        }
        _jvpStart = Stopwatch.GetTimestamp();
        Depth = 2;
        return true;
    }

    /// <summary>Closes the innermost open record: the tangent's, or the op's (then its events are kept).</summary>
    public void End()
    {
        long end = Stopwatch.GetTimestamp();
        if (Depth == 2)
        {
            _jvpTicks += end - _jvpStart;
            Depth = 1;
            return;
        }
        Depth = 0;
        Add(new ProfileEvent(_name, _kind, ThreadId, _regionPath, Seconds(_start), Duration(end - _start - _jvpTicks), _startsCall, _cost, _elementType, _shapes));
        if (_jvpTicks > 0)
        {
            Add(new ProfileEvent(_name, ProfileEventKind.Jvp, ThreadId, _regionPath, Seconds(_jvpStart), Duration(_jvpTicks), _startsCall, null, _elementType, _shapes));
        }
        _lastMark = _mark;
        _lastEnd = Stopwatch.GetTimestamp();
    }

    /// <summary>Enters the region <paramref name="name"/>, nested in the thread's current one.</summary>
    public void EnterRegion(string name)
    {
        long now = Stopwatch.GetTimestamp();
        _regions.Push((_regionPath, name, now));
        _regionPath = _regionPath.Length == 0 ? name : _regionPath + "/" + name;
        _lastEnd = Math.Max(_lastEnd, now);
    }

    /// <summary>Leaves the innermost region and keeps its event; false when the thread is in no region.</summary>
    public bool ExitRegion()
    {
        if (_regions.Count == 0)
        {
            return false;
        }
        long end = Stopwatch.GetTimestamp();
        var (outer, name, start) = _regions.Pop();
        Add(new ProfileEvent(name, ProfileEventKind.Region, ThreadId, _regionPath, Seconds(start), Duration(end - start), true, null, "", []));
        _regionPath = outer;
        _lastEnd = Math.Max(_lastEnd, end);
        return true;
    }

    /// <summary>A copy of the events kept so far.</summary>
    public ProfileEvent[] Events()
    {
        lock (_gate)
        {
            var events = new List<ProfileEvent>();
            for (int b = 0; b < _blocks.Count; b++)
            {
                events.AddRange(_blocks[b].AsSpan(0, b + 1 < _blocks.Count ? BlockLength : _lastBlockCount));
            }
            return [.. events];
        }
    }

    private void Open(ProfileEventKind kind, string name, long start, OperationCost? cost, string elementType, Shape[] shapes)
    {
        (_kind, _name, _start, _cost, _elementType, _shapes) = (kind, name, start, cost, elementType, shapes);
        _jvpTicks = 0;
        Depth = 1;
    }

    private void Add(ProfileEvent profileEvent)
    {
        lock (_gate)
        {
            if (_lastBlockCount == BlockLength)
            {
                _blocks.Add(new ProfileEvent[BlockLength]);
                _lastBlockCount = 0;
            }
            _blocks[^1][_lastBlockCount++] = profileEvent;
        }
    }

    private double Seconds(long timestamp) => Duration(timestamp - Session.StartTimestamp);

    private static double Duration(long ticks) => Math.Max(ticks, 0) / (double)Stopwatch.Frequency;
}
