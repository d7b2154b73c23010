namespace TinyAutograd.Checks;

/// <summary>
/// The outcome of a check, for people and for tests: whether it passed, how many elements were compared, the worst
/// element with its values by each method, and a capped list of the worst failures. <see cref="ToString"/> prints the
/// verdict.
/// </summary>
public sealed class CheckReport
{
    private readonly IReadOnlyList<string> _points;

    internal CheckReport(string check, string subject, CheckOptions options, int comparedCount, int failedCount,
        CheckedElement? worst, IReadOnlyList<CheckedElement> worstFailures, IReadOnlyList<string> points, IReadOnlyList<string> notes,
        IReadOnlyList<PatternDiagnosis> patterns)
    {
        Patterns = patterns;
        Check = check;
        Subject = subject;
        Options = options;
        ComparedCount = comparedCount;
        FailedCount = failedCount;
        Worst = worst;
        WorstFailures = worstFailures;
        _points = points;
        Notes = notes;
    }

    /// <summary>Which check ran, e.g. <c>GradCheck</c>.</summary>
    public string Check { get; }

    /// <summary>What was compared with what, in words.</summary>
    public string Subject { get; }

    /// <summary>The step and tolerances used.</summary>
    public CheckOptions Options { get; }

    /// <summary>Whether every compared element was within tolerance (a check that compared nothing passes).</summary>
    public bool Passed => FailedCount == 0;

    /// <summary>How many elements were compared.</summary>
    public int ComparedCount { get; }

    /// <summary>How many were out of tolerance.</summary>
    public int FailedCount { get; }

    /// <summary>The element with the largest error relative to its tolerance: the failure to look at first, or the
    /// closest call when the check passed. Null when nothing was compared.</summary>
    public CheckedElement? Worst { get; }

    /// <summary>The worst out-of-tolerance elements, worst first by <see cref="CheckedElement.Ratio"/>, at most <see cref="CheckOptions.MaxListedElements"/>.</summary>
    public IReadOnlyList<CheckedElement> WorstFailures { get; }

    /// <summary>Systematic mistakes recognised across the failing elements of a hand derivation (a constant factor, a
    /// sign flip, a permuted layout, an asymmetric Hessian, a mismatch confined to one part); empty when none applies.</summary>
    public IReadOnlyList<PatternDiagnosis> Patterns { get; }

    /// <summary>Warnings and remarks about the whole check (e.g. single precision).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The values of the inputs at sample point <paramref name="point"/>, e.g. <c>w = 0.5, b = 0</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such point.</exception>
    public string PointDescription(int point)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(point);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(point, _points.Count);
        return _points[point];
    }

    /// <summary>The verdict: pass or fail, the worst element in detail, the other worst failures in one line each.</summary>
    public override string ToString()
    {
        var lines = new List<string>();
        lines.Add(Passed
            ? $"{Check} passed: all {ComparedCount} compared values are within tolerance."
            : $"{Check} FAILED: {FailedCount} of {ComparedCount} compared values are out of tolerance.");
        lines.Add($"  checked: {Subject}; {Method()}, atol = {CheckText.Short(Options.AbsoluteTolerance)}, rtol = {CheckText.Short(Options.RelativeTolerance)}");
        foreach (var pattern in Patterns)
        {
            lines.Add($"  pattern in the {pattern}");
        }
        if (Worst is { } worst)
        {
            lines.Add((Passed ? "  closest to failing: " : "  worst: ") + worst.Quantity);
            AppendValue(lines, "hand", worst.Hand, null);
            AppendValue(lines, "autodiff", worst.AutoDiff, null);
            AppendValue(lines, "numeric", worst.Numeric, worst.NumericError);
            lines.Add($"    error      {CheckText.Short(worst.Error)} {(worst.Passed ? "<=" : ">")} tolerance {CheckText.Short(worst.Tolerance)}, " +
                $"error/tolerance {CheckText.Short(worst.Ratio)} ({worst.Comparison})");
            if (!worst.Passed && worst.Origin is not null)
            {
                lines.Add($"    where      {worst.Origin}");
            }
            lines.Add(_points.Count == 1 ? $"    at         {_points[0]}" : $"    at point {worst.Point}: {_points[worst.Point]}");
            if (!worst.Passed)
            {
                lines.Add($"    diagnosis: {Diagnosis(worst)}");
            }
        }
        if (FailedCount > 1)
        {
            lines.Add($"  next worst failures by error/tolerance ({WorstFailures.Count - 1} listed of {FailedCount - 1}):");
            foreach (var failure in WorstFailures.Skip(1))
            {
                string where = _points.Count == 1 ? "" : $" at point {failure.Point}";
                lines.Add($"    {failure.Quantity}{where}: {ValuesInline(failure)}; error {CheckText.Short(failure.Error)} > {CheckText.Short(failure.Tolerance)}, " +
                    $"error/tolerance {CheckText.Short(failure.Ratio)} ({failure.Comparison})");
            }
        }
        foreach (var note in Notes)
        {
            lines.Add($"  note: {note}");
        }
        return string.Join(Environment.NewLine, lines);
    }

    private string Method() => Options.FiniteDifferences == FiniteDifferenceMethod.Richardson
        ? "finite differences by Richardson extrapolation"
        : $"central differences with h = {CheckText.Short(Options.Step)}";

    private static void AppendValue(List<string> lines, string label, double? value, double? error)
    {
        if (value is { } known)
        {
            string estimate = error is > 0 ? $" ± {CheckText.Short(error.Value)} (estimated)" : "";
            lines.Add($"    {label,-10} {CheckText.Number(known)}{estimate}");
        }
    }

    private static string ValuesInline(CheckedElement element)
    {
        var parts = new List<string>();
        if (element.Hand is { } hand)
        {
            parts.Add($"hand {CheckText.Number(hand)}");
        }
        if (element.AutoDiff is { } autoDiff)
        {
            parts.Add($"autodiff {CheckText.Number(autoDiff)}");
        }
        if (element.Numeric is { } numeric)
        {
            parts.Add($"numeric {CheckText.Number(numeric)}");
        }
        return string.Join(", ", parts);
    }

    /// <summary>Which of the values agree, and what that suggests.</summary>
    private string Diagnosis(CheckedElement element)
    {
        bool Agree(double? tested, double? reference, double referenceError = 0) =>
            Math.Abs(tested!.Value - reference!.Value) <= Options.ToleranceFor(reference.Value, referenceError);

        if (element.Hand is null)
        {
            return "autodiff disagrees with finite differences: a derivative rule f relies on is wrong (for example a custom " +
                "gradient built with Detach), or f is not differentiable here (a kink of Relu, Abs or Max).";
        }
        if (element.AutoDiff is null || element.Numeric is null)
        {
            return "the hand-derived value is wrong for this element.";
        }
        bool handAutoDiff = Agree(element.Hand, element.AutoDiff);
        double numericError = element.NumericError ?? 0;
        bool handNumeric = Agree(element.Hand, element.Numeric, numericError);
        bool autoDiffNumeric = Agree(element.AutoDiff, element.Numeric, numericError);
        if (!handAutoDiff && !handNumeric && autoDiffNumeric)
        {
            return "the hand-derived value disagrees with autodiff and with finite differences, which agree with each other: " +
                "the derivation (or the code computing it) is wrong for this element.";
        }
        if (handNumeric && !autoDiffNumeric)
        {
            return "the hand-derived value agrees with finite differences but autodiff does not: f may use a step autodiff " +
                "cannot see through (Detach, or a Where decided by the input), or a library rule is wrong.";
        }
        if (handAutoDiff && !autoDiffNumeric)
        {
            return "hand and autodiff agree but finite differences do not: f may be non-smooth near this point, or the step h " +
                "is badly scaled for it.";
        }
        return "the three values disagree with one another: f may be non-smooth or badly scaled near this point.";
    }
}
