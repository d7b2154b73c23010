using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace TinyAutograd.Examples.Charts;

/// <summary>
/// A base-10 logarithmic axis. The chart holds log₁₀ of the data; this axis puts its major ticks on whole decades
/// labelled 10ᵏ, and minor ticks at 2, 3, …, 9 times each decade.
/// </summary>
internal static class LogAxis
{
    private const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /// <summary>Makes <paramref name="axis"/> show decades (call after adding the data).</summary>
    public static void Apply(Plot plot, IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new LogMinorTickGenerator(),
            LabelFormatter = Label,
        };
        // Whole decades at both ends, so that every picture has at least two labelled ticks.
        var limits = new AxisLimits(plot.GetPlottables());
        double low = axis is IYAxis ? limits.Bottom : limits.Left, high = axis is IYAxis ? limits.Top : limits.Right;
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            return;
        }
        (low, high) = (Math.Floor(low), Math.Max(Math.Ceiling(high), Math.Floor(low) + 1));
        if (axis is IYAxis vertical)
        {
            plot.Axes.SetLimitsY(low, high, vertical);
        }
        else if (axis is IXAxis horizontal)
        {
            plot.Axes.SetLimitsX(low, high, horizontal);
        }
    }

    /// <summary>The label of the tick at log₁₀ value <paramref name="exponent"/>: 10 with the exponent in superscript.</summary>
    public static string Label(double exponent)
    {
        string digits = Math.Round(exponent).ToString(CultureInfo.InvariantCulture);
        return "10" + string.Concat(digits.Select(c => c == '-' ? '⁻' : Superscripts[c - '0']));
    }

    /// <summary>
    /// The points with a positive <c>y</c>, as (x, log₁₀ y); the others cannot be drawn on a logarithmic axis (a
    /// <paramref name="floor"/> above 0 raises smaller values to it instead of leaving them out).
    /// </summary>
    public static (double[] Xs, double[] Ys) Points(IReadOnlyList<double> xs, IReadOnlyList<double> ys, double floor = 0)
    {
        var kept = xs.Zip(ys)
            .Select(p => (p.First, Y: floor > 0 ? Math.Max(p.Second, floor) : p.Second))
            .Where(p => double.IsFinite(p.Y) && p.Y > 0)
            .ToArray();
        return (kept.Select(p => p.First).ToArray(), kept.Select(p => Math.Log10(p.Y)).ToArray());
    }

    /// <summary>Adds a line through the points of <see cref="Points"/>: <paramref name="ys"/> on a logarithmic y axis.</summary>
    public static Scatter LineOnLogY(this Plot plot, string? label, IReadOnlyList<double> xs, IReadOnlyList<double> ys, Color color, float width = 2, LinePattern? pattern = null, double floor = 0)
    {
        var (kept, logs) = Points(xs, ys, floor);
        return plot.Line(label, kept, logs, color, width, pattern);
    }

    /// <summary>log₁₀ of every value (for an axis whose values are all positive, such as steps + 1).</summary>
    public static double[] Of(IEnumerable<double> values) => values.Select(Math.Log10).ToArray();
}
