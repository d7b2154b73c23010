namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// Counts checked and discarded programs and keeps the worst error of each check, as a fraction of its tolerance, with
/// the program that made it.
/// </summary>
internal sealed class FuzzStatistics
{
    private readonly Dictionary<string, double> _worst = [];
    private readonly Dictionary<string, string> _worstProgram = [];
    private readonly Dictionary<string, int> _discarded = [];

    public int Checked { get; private set; }

    public int Discarded => _discarded.Values.Sum();

    /// <summary>How many derivatives needed the refined (Richardson) reference to pass.</summary>
    public int Refinements { get; private set; }

    public void CountRefinement() => Refinements++;

    public void Record(string check, double errorOverTolerance, FuzzProgram program)
    {
        if (!_worst.TryGetValue(check, out double worst) || errorOverTolerance > worst)
        {
            _worst[check] = errorOverTolerance;
            _worstProgram[check] = program.ToString();
        }
    }

    /// <summary>The program with the largest error (relative to its tolerance) in each check.</summary>
    public string WorstPrograms() =>
        string.Join("\n", _worstProgram.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"worst {pair.Key} ({_worst[pair.Key]:G3} of the tolerance): {pair.Value}"));

    public void Count(string? discardReason)
    {
        if (discardReason is null)
        {
            Checked++;
        }
        else
        {
            _discarded[discardReason] = _discarded.GetValueOrDefault(discardReason) + 1;
        }
    }

    public override string ToString() =>
        $"{Checked} programs checked, {Discarded} discarded ({string.Join("; ", _discarded.Select(pair => $"{pair.Value}: {pair.Key}"))}); " +
        $"{Refinements} derivatives needed the refined reference; " +
        $"worst error / tolerance: {string.Join(", ", _worst.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value:G3}"))}";
}
