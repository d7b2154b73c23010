using ScottPlot;
using ScottPlot.Plottables;

namespace TinyAutograd.Examples.Charts;

/// <summary>The examples' chart conventions on top of ScottPlot: one font, one palette, lines without markers.</summary>
internal static class Chart
{
    private static readonly ScottPlot.Palettes.Category10 s_palette = new();

    /// <summary>DejaVu Sans where it is installed (ScottPlot's own guess of a sans-serif font picks a serif one on Debian).</summary>
    private static readonly string s_font = Fonts.GetTypeface("DejaVu Sans", false, false)?.FamilyName == "DejaVu Sans" ? "DejaVu Sans" : Fonts.Sans;

    /// <summary>An empty chart with a title and axis labels.</summary>
    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(s_font);
        plot.Title(title, 15);
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        return plot;
    }

    /// <summary>The <paramref name="index"/>-th colour of the series palette (it cycles after ten).</summary>
    public static Color Pick(int index) => s_palette.GetColor(index);

    /// <summary>0, 1, …, <paramref name="count"/> − 1 plus <paramref name="offset"/>: the x values of a per-step series.</summary>
    public static double[] Steps(int count, double offset = 0) => [.. Enumerable.Range(0, count).Select(i => i + offset)];

    /// <summary>Adds a line through (xs[i], ys[i]); a null label leaves it out of the legend.</summary>
    public static Scatter Line(this Plot plot, string? label, double[] xs, double[] ys, Color color, float width = 2, LinePattern? pattern = null)
    {
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = width;
        line.LinePattern = pattern ?? LinePattern.Solid;
        line.LegendText = label ?? "";
        return line;
    }

    /// <summary>Adds dots at (xs[i], ys[i]).</summary>
    public static Scatter Dots(this Plot plot, string? label, double[] xs, double[] ys, Color color, float size = 6, MarkerShape shape = MarkerShape.FilledCircle)
    {
        var dots = plot.Add.ScatterPoints(xs, ys, color);
        dots.MarkerSize = size;
        dots.MarkerShape = shape;
        dots.LegendText = label ?? "";
        return dots;
    }

    /// <summary>Shows the legend to the right of the plotting area, where it hides no data.</summary>
    public static void LegendOutside(this Plot plot) => plot.ShowLegend(Edge.Right);
}
