namespace TinyAutograd.Checks;

/// <summary>
/// Collects a check's comparisons one element at a time, keeping only counts, the worst element and the few worst
/// failures, so that a large check never holds (or prints) a whole matrix.
/// </summary>
/// <remarks>
/// An element with a hand value is judged by <c>hand vs autodiff</c>; finite differences judge autodiff itself
/// (<c>autodiff vs finite differences</c>), and when that comparison fails it decides the element instead, since the
/// reference is then in doubt. An element without a hand value is judged by <c>autodiff vs finite differences</c>.
/// Elements are ranked by error over tolerance.
/// </remarks>
internal sealed class CheckRecorder(string check, string subject, CheckOptions options, List<string> notes)
{
    /// <summary>The comparison of a hand value with autodiff, as reports name it.</summary>
    public const string HandVsAutoDiff = "hand vs autodiff";

    /// <summary>The comparison of autodiff with finite differences, as reports name it.</summary>
    public const string AutoDiffVsNumeric = "autodiff vs finite differences";

    private readonly List<CheckedElement> _worstFailures = [];
    private readonly List<string> _points = [];
    private readonly List<PatternDiagnosis> _patterns = [];
    private CheckedElement? _worst;
    private int _compared;
    private int _failed;
    private int _uncertain;

    /// <summary>How many sample points were started.</summary>
    public int PointCount => _points.Count;

    /// <summary>The options the check runs with.</summary>
    public CheckOptions Options => options;

    /// <summary>Starts a new sample point and returns its number.</summary>
    public int AddPoint(string description)
    {
        _points.Add(description);
        return _points.Count - 1;
    }

    /// <summary>Adds a pattern found over many elements.</summary>
    public void AddPattern(PatternDiagnosis pattern) => _patterns.Add(pattern);

    /// <summary>Compares one element (see the class remarks for which comparison decides it); returns whether it passed.</summary>
    public bool Compare(ElementId id, int point, double? hand, double autoDiff, NumericDerivative numeric, int numericAt, string? origin)
    {
        double numericValue = numeric.Values[numericAt], numericError = numeric.Errors[numericAt];
        _uncertain += numericError > options.ToleranceFor(numericValue) ? 1 : 0;
        var checkOfAutoDiff = Element(AutoDiffVsNumeric, autoDiff, numericValue, numericError);
        var decided = hand is { } handValue && checkOfAutoDiff.Passed ? Element(HandVsAutoDiff, handValue, autoDiff, 0) : checkOfAutoDiff;
        Record(decided);
        return decided.Passed;

        CheckedElement Element(string comparison, double tested, double reference, double referenceError) =>
            new(id.Quantity, id.Input, id.Index, id.SecondInput, id.SecondIndex, id.OutputIndex, point, hand, autoDiff, numericValue, numericError,
                comparison, Math.Abs(tested - reference), options.ToleranceFor(reference, referenceError), origin);
    }

    private void Record(CheckedElement element)
    {
        _compared++;
        if (_worst is null || element.Ratio > _worst.Ratio)
        {
            _worst = element;
        }
        if (element.Passed)
        {
            return;
        }
        _failed++;
        int at = _worstFailures.FindIndex(listed => element.Ratio > listed.Ratio);
        _worstFailures.Insert(at < 0 ? _worstFailures.Count : at, element);
        if (_worstFailures.Count > options.MaxListedElements)
        {
            _worstFailures.RemoveAt(_worstFailures.Count - 1);
        }
    }

    /// <summary>The finished report.</summary>
    public CheckReport Build()
    {
        if (_uncertain > 0)
        {
            notes.Add($"the finite differences of {_uncertain} element(s) carry an estimated error above atol + rtol·|value|, which widens their " +
                "tolerance: f may be non-smooth (a kink within 0.125 of the point) or vary on a much smaller scale than 1 there.");
        }
        return new(check, subject, options, _compared, _failed, _worst, _worstFailures, _points, notes, _patterns);
    }
}
