namespace TinyAutograd.Checks;

/// <summary>The pairs of values a check compares for each element.</summary>
[Flags]
internal enum Comparisons
{
    /// <summary>The hand-derived value against autodiff.</summary>
    HandVsAutoDiff = 1,

    /// <summary>The hand-derived value against central differences.</summary>
    HandVsNumeric = 2,

    /// <summary>Autodiff against central differences.</summary>
    AutoDiffVsNumeric = 4,
}

/// <summary>
/// Collects a check's comparisons one element at a time, keeping only counts, the worst element and the few worst
/// failures, so that a large check never holds (or prints) a whole matrix.
/// </summary>
internal sealed class CheckRecorder(string check, string subject, CheckOptions options, List<string> notes)
{
    private readonly List<CheckedElement> _worstFailures = [];
    private readonly List<string> _points = [];
    private CheckedElement? _worst;
    private int _compared;
    private int _failed;

    /// <summary>How many sample points were started.</summary>
    public int PointCount => _points.Count;

    /// <summary>Starts a new sample point and returns its number.</summary>
    public int AddPoint(string description)
    {
        _points.Add(description);
        return _points.Count - 1;
    }

    /// <summary>Compares one element by the given pairs; the pair with the largest error over tolerance decides it.</summary>
    public void Compare(string quantity, string input, int[] index, int point, double? hand, double? autoDiff, double? numeric, Comparisons pairs, string? origin)
    {
        CheckedElement? decided = null;
        void Consider(string comparison, double? tested, double? reference)
        {
            double error = Math.Abs(tested!.Value - reference!.Value);
            var candidate = new CheckedElement(quantity, input, index, point, hand, autoDiff, numeric, comparison, error, options.ToleranceFor(reference.Value), origin);
            if (decided is null || candidate.Severity > decided.Severity)
            {
                decided = candidate;
            }
        }
        if (pairs.HasFlag(Comparisons.HandVsAutoDiff))
        {
            Consider("hand vs autodiff", hand, autoDiff);
        }
        if (pairs.HasFlag(Comparisons.HandVsNumeric))
        {
            Consider("hand vs finite differences", hand, numeric);
        }
        if (pairs.HasFlag(Comparisons.AutoDiffVsNumeric))
        {
            Consider("autodiff vs finite differences", autoDiff, numeric);
        }
        Record(decided!);
    }

    private void Record(CheckedElement element)
    {
        _compared++;
        if (_worst is null || element.Severity > _worst.Severity)
        {
            _worst = element;
        }
        if (element.Passed)
        {
            return;
        }
        _failed++;
        int at = _worstFailures.FindIndex(listed => element.Severity > listed.Severity);
        _worstFailures.Insert(at < 0 ? _worstFailures.Count : at, element);
        if (_worstFailures.Count > options.MaxListedElements)
        {
            _worstFailures.RemoveAt(_worstFailures.Count - 1);
        }
    }

    /// <summary>The finished report.</summary>
    public CheckReport Build() => new(check, subject, options, _compared, _failed, _worst, _worstFailures, _points, notes);
}
