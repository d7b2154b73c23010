using ScottPlot;
using TinyAutograd.Profiling;

namespace TinyAutograd.Examples.Charts;

/// <summary>
/// The roofline picture: each profiled op as a point (arithmetic intensity, achieved GFLOP/s) on log-log axes, under the
/// machine's ceilings min(peak, intensity × bandwidth) for float32 and float64.
/// </summary>
internal static class RooflineChart
{
    public static Plot Create(string title, IReadOnlyList<OpProfile> ops, MachineLimits machine)
    {
        var chart = Chart.Create(title, "arithmetic intensity (FLOP per byte)", "GFLOP/s");
        var placed = ops.Where(op => op.ArithmeticIntensity > 0 && op.Gflops > 0).ToArray();
        double low = Math.Min(0.01, placed.Select(op => op.ArithmeticIntensity!.Value).DefaultIfEmpty(1).Min() / 2);
        double high = Math.Max(100, placed.Select(op => op.ArithmeticIntensity!.Value).DefaultIfEmpty(1).Max() * 2);
        double[] intensities = [.. Enumerable.Range(0, 97).Select(i => Math.Pow(10, Math.Log10(low) + i * (Math.Log10(high) - Math.Log10(low)) / 96))];
        foreach (var (type, index) in new[] { ("float32", 0), ("float64", 1) })
        {
            var roof = intensities.Select(intensity => machine.AttainableGflops(intensity, type)).ToArray();
            chart.Line($"{type} roof ({Cli.Format.Fixed(machine.PeakGflops(type), 0)} GFLOP/s, {Cli.Format.Fixed(machine.BandwidthGigabytesPerSecond, 1)} GB/s)",
                LogAxis.Of(intensities), LogAxis.Of(roof), Chart.Pick(index), 2, index == 0 ? LinePattern.Solid : LinePattern.Dashed);
        }
        for (int i = 0; i < placed.Length; i++)
        {
            var op = placed[i];
            double x = Math.Log10(op.ArithmeticIntensity!.Value), y = Math.Log10(op.Gflops!.Value);
            chart.Dots(null, [x], [y], Chart.Pick(2 + i % 8), 9);
            var label = chart.Add.Text($"{op.Name} {Cli.Format.Fixed(op.PercentOfPeak ?? 0, 0)}%", x, y);
            label.LabelFontSize = 11;
            label.OffsetX = 7;
            label.OffsetY = -7;
        }
        LogAxis.Apply(chart, chart.Axes.Bottom);
        LogAxis.Apply(chart, chart.Axes.Left);
        chart.ShowLegend(Alignment.LowerRight);
        return chart;
    }
}
