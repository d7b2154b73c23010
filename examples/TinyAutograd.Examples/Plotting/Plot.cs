namespace TinyAutograd.Examples.Plotting;

/// <summary>
/// A two-dimensional chart written as SVG: a title, two labelled axes with ticks and grid lines, the series, and a
/// legend to the right of the plotting area.
/// </summary>
/// <example>
/// <code>
/// new Plot("Loss", "epoch", "loss") { Y = { Logarithmic = true } }
///     .Line("GD", points)
///     .Save("loss.svg");
/// </code>
/// </example>
internal sealed class Plot(string title, string xLabel, string yLabel)
{
    private const double MarginLeft = 78, MarginTop = 46, MarginBottom = 56, MarginRight = 24;
    private readonly List<PlotSeries> _series = [];

    public string Title { get; } = title;

    public Axis X { get; } = new(xLabel);

    public Axis Y { get; } = new(yLabel);

    /// <summary>The width of the plotting area in pixels (the legend adds to the picture's width).</summary>
    public double Width { get; init; } = 640;

    /// <summary>The height of the plotting area in pixels.</summary>
    public double Height { get; init; } = 400;

    /// <summary>Adds a line; the colour defaults to the next series colour.</summary>
    public Plot Line(string? label, IReadOnlyList<(double X, double Y)> points, string? color = null, double width = 2, string? dash = null, bool markEnds = false)
    {
        _series.Add(new LineSeries(label, points, color ?? NextColor(), width, dash, markEnds));
        return this;
    }

    /// <summary>Adds a line through (xs[i], ys[i]).</summary>
    public Plot Line(string? label, IReadOnlyList<double> xs, IReadOnlyList<double> ys, string? color = null, double width = 2, string? dash = null) =>
        Line(label, xs.Zip(ys).ToArray(), color, width, dash);

    /// <summary>Adds a shaded band between <paramref name="lower"/> and <paramref name="upper"/>.</summary>
    public Plot Band(string? label, IReadOnlyList<double> xs, IReadOnlyList<double> lower, IReadOnlyList<double> upper, string? color = null)
    {
        _series.Add(new BandSeries(label, xs, lower, upper, color ?? NextColor()));
        return this;
    }

    /// <summary>Adds dots.</summary>
    public Plot Scatter(string? label, IReadOnlyList<(double X, double Y)> points, string? color = null, double radius = 3)
    {
        _series.Add(new ScatterSeries(label, points, color ?? NextColor(), radius));
        return this;
    }

    /// <summary>Adds contour lines of a sampled function, and fixes the axes to the grid's extent.</summary>
    public Plot Contours(string? label, ContourGrid grid, int levels = 14)
    {
        X.Minimum ??= grid.Xs[0];
        X.Maximum ??= grid.Xs[^1];
        Y.Minimum ??= grid.Ys[0];
        Y.Maximum ??= grid.Ys[^1];
        _series.Add(new ContourSeries(label, grid, grid.QuantileLevels(levels)));
        return this;
    }

    /// <summary>Writes the picture to <paramref name="path"/> and returns the path.</summary>
    public string Save(string path)
    {
        File.WriteAllText(path, ToSvg());
        return path;
    }

    /// <summary>The picture as an SVG document.</summary>
    public string ToSvg()
    {
        bool hasLegend = _series.Any(s => s.Label is not null);
        double legendWidth = hasLegend ? LegendWidth() : 0;
        double left = MarginLeft, top = MarginTop, right = left + Width, bottom = top + Height;
        var svg = new SvgBuilder(right + MarginRight + legendWidth, bottom + MarginBottom);
        svg.Rectangle(0, 0, right + MarginRight + legendWidth, bottom + MarginBottom, "white");

        var (xLow, xHigh) = Bounds(X, s => s.X);
        var (yLow, yHigh) = Bounds(Y, s => s.Y);
        var frame = new PlotFrame(X.Resolve(xLow, xHigh, left, right), Y.Resolve(yLow, yHigh, bottom, top), "plot-area");
        svg.ClipRectangle(frame.ClipId, left, top, Width, Height);

        DrawAxes(svg, frame, left, top, right, bottom);
        foreach (var series in _series)
        {
            series.Draw(svg, frame);
        }
        svg.Rectangle(left, top, Width, Height, "none", "#444");
        svg.Text((left + right) / 2, 28, Title, 16, "middle", bold: true);
        if (hasLegend)
        {
            DrawLegend(svg, right + MarginRight + 8, top, legendWidth - 16);
        }
        return svg.ToString();
    }

    private (double Low, double High) Bounds(Axis axis, Func<(double X, double Y), double> coordinate)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var point in _series.SelectMany(s => s.Extent))
        {
            double value = coordinate(point);
            if (axis.Accepts(value))
            {
                low = Math.Min(low, value);
                high = Math.Max(high, value);
            }
        }
        return (low, high);
    }

    private void DrawAxes(SvgBuilder svg, PlotFrame frame, double left, double top, double right, double bottom)
    {
        foreach (var tick in frame.X.Ticks)
        {
            double x = frame.X.Map(tick.Value);
            svg.Line(x, top, x, bottom, "#e4e4e4");
            svg.Line(x, bottom, x, bottom + 5, "#444");
            svg.Text(x, bottom + 19, tick.Label, 12, "middle");
        }
        foreach (var tick in frame.Y.Ticks)
        {
            double y = frame.Y.Map(tick.Value);
            svg.Line(left, y, right, y, "#e4e4e4");
            svg.Line(left - 5, y, left, y, "#444");
            svg.Text(left - 8, y + 4, tick.Label, 12, "end");
        }
        svg.Text((left + right) / 2, bottom + 44, X.Label, 13, "middle");
        svg.Text(20, (top + bottom) / 2, Y.Label, 13, "middle", rotate: -90);
    }

    /// <summary>Room for the legend: the swatch plus the longest label at about 6.6 pixels per character, and a margin.</summary>
    private double LegendWidth() => 70 + 6.6 * _series.Where(s => s.Label is not null).Max(s => s.Label!.Length);

    private void DrawLegend(SvgBuilder svg, double x, double y, double width)
    {
        var entries = _series.Where(s => s.Label is not null).ToArray();
        svg.Rectangle(x, y, width, 12 + 20 * entries.Length, "white", "#bbb");
        for (int i = 0; i < entries.Length; i++)
        {
            double rowY = y + 16 + 20 * i;
            entries[i].DrawSwatch(svg, x + 20, rowY);
            svg.Text(x + 38, rowY + 4, entries[i].Label!, 12);
        }
    }

    private string NextColor() => Palette.Pick(_series.Count(s => s is not ContourSeries));
}
