using Spectre.Console;
using TinyAutograd.Checks;

namespace TinyAutograd.Examples.Cli;

/// <summary>A check's verdict in figures (for JSON), and its readable report (for the terminal).</summary>
internal sealed record CheckSummary(string Name, bool Passed, int Compared, int Failed, double? WorstError, string Report)
{
    public static CheckSummary From(string name, CheckReport report) =>
        new(name, report.Passed, report.ComparedCount, report.FailedCount, report.Worst?.Error, report.ToString());

    /// <summary>The report in a frame: green when it passed, red when it failed.</summary>
    public Panel ToPanel() => new Panel(new Text(Report))
    {
        Header = new PanelHeader(Markup.Escape($" {Name}: {(Passed ? "passed" : "FAILED")} ")),
        Border = BoxBorder.Rounded,
        BorderStyle = new Style(Passed ? Color.Green : Color.Red),
        Expand = true,
    };
}
