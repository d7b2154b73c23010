using System.Globalization;
using System.Text;

namespace TinyAutograd.Profiling;

/// <summary>The text table of a <see cref="ProfileReport"/>: fixed-width columns, ops by decreasing total time.</summary>
internal static class ProfileTable
{
    private static readonly string[] s_header =
        ["op", "type", "calls", "forward ms", "backward ms", "jvp ms", "total ms", "% wall", "GFLOP", "GB", "GFLOP/s", "GB/s", "bound", "% roof"];

    public static string Format(ProfileReport report, int maxRows)
    {
        var rows = new List<string[]> { s_header };
        foreach (var op in report.Ops.Take(maxRows))
        {
            rows.Add(
            [
                op.Name, op.ElementType, Integer(op.Calls), Milliseconds(op.ForwardSeconds), Milliseconds(op.BackwardSeconds),
                Milliseconds(op.JvpSeconds), Milliseconds(op.TotalSeconds), Fixed(op.PercentOfWall, 1),
                Optional(op.Flops, 1e9, 3), Optional(op.Bytes, 1e9, 4), Optional(op.Gflops, 1), Optional(op.GigabytesPerSecond, 1),
                op.Bound is { } bound ? bound.ToString().ToLowerInvariant() : "-", Optional(op.PercentOfPeak, 1),
            ]);
        }
        if (report.Ops.Count > maxRows)
        {
            var rest = report.Ops.Skip(maxRows).ToArray();
            double seconds = rest.Sum(op => op.TotalSeconds);
            rows.Add([$"({rest.Length} more ops)", "", "", "", "", "", Milliseconds(seconds), Fixed(100 * seconds / Math.Max(report.WallSeconds, 1e-12), 1), "", "", "", "", "", ""]);
        }
        var text = new StringBuilder();
        Append(text, rows);
        text.AppendLine(Invariant($"ops {Milliseconds(report.OpsSeconds)} ms of {Milliseconds(report.WallSeconds)} ms wall; outside ops {Milliseconds(report.OutsideOpsSeconds)} ms"));
        foreach (var region in report.Regions)
        {
            text.AppendLine(Invariant($"region {region.Path}: {region.Calls}×, {Milliseconds(region.Seconds)} ms, ops inside {Milliseconds(region.OpsSeconds)} ms"));
        }
        var machine = report.Machine;
        text.Append(Invariant(
            $"machine: {machine.Cores} cores, {machine.VectorBits}-bit FMA; peak {Fixed(machine.Float32Gflops, 1)} GFLOP/s float32, {Fixed(machine.Float64Gflops, 1)} GFLOP/s float64; bandwidth {Fixed(machine.BandwidthGigabytesPerSecond, 1)} GB/s"));
        return text.ToString();
    }

    /// <summary>Pads every column to its widest cell: names left-aligned, numbers right-aligned.</summary>
    private static void Append(StringBuilder text, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, s_header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            for (int column = 0; column < row.Length; column++)
            {
                text.Append(column < 2 ? row[column].PadRight(widths[column]) : row[column].PadLeft(widths[column]));
                text.Append(column + 1 < row.Length ? "  " : "");
            }
            text.AppendLine();
        }
    }

    private static string Milliseconds(double seconds) => Fixed(seconds * 1e3, 3);

    private static string Integer(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Fixed(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Optional(double? value, int decimals) => value is { } v ? Fixed(v, decimals) : "-";

    private static string Optional(long? value, double unit, int decimals) => value is { } v ? Fixed(v / unit, decimals) : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
