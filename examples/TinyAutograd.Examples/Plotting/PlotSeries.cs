namespace TinyAutograd.Examples.Plotting;

/// <summary>Where a series draws: the two resolved axes and the clip path of the plotting area.</summary>
internal sealed record PlotFrame(AxisScale X, AxisScale Y, string ClipId)
{
    public (double X, double Y) Map(double x, double y) => (X.Map(x), Y.Map(y));
}

/// <summary>Something drawn inside a plot's axes: a line, a band, points or contours.</summary>
internal abstract class PlotSeries(string? label, string color)
{
    /// <summary>The legend text, or null to leave the series out of the legend.</summary>
    public string? Label { get; } = label;

    public string Color { get; } = color;

    /// <summary>The data points that the axes must cover.</summary>
    public abstract IEnumerable<(double X, double Y)> Extent { get; }

    public abstract void Draw(SvgBuilder svg, PlotFrame frame);

    /// <summary>Draws the series' legend mark centred at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public virtual void DrawSwatch(SvgBuilder svg, double x, double y) => svg.Line(x - 12, y, x + 12, y, Color, 2.5);
}

/// <summary>A polyline through (x, y) points, optionally dashed, with dots at its points or at its two ends.</summary>
internal sealed class LineSeries(string? label, IReadOnlyList<(double X, double Y)> points, string color, double width = 2, string? dash = null, bool markEnds = false)
    : PlotSeries(label, color)
{
    public override IEnumerable<(double X, double Y)> Extent => points;

    public override void Draw(SvgBuilder svg, PlotFrame frame)
    {
        svg.Polyline(points.Select(p => frame.Map(p.X, p.Y)), Color, width, dash, frame.ClipId);
        if (markEnds && points.Count > 0)
        {
            var (startX, startY) = frame.Map(points[0].X, points[0].Y);
            var (endX, endY) = frame.Map(points[^1].X, points[^1].Y);
            svg.Circle(startX, startY, 4, "white", Color, frame.ClipId);
            svg.Circle(endX, endY, 4, Color, "white", frame.ClipId);
        }
    }

    public override void DrawSwatch(SvgBuilder svg, double x, double y) => svg.Line(x - 12, y, x + 12, y, Color, Math.Max(width, 2), dash);
}

/// <summary>A shaded band between a lower and an upper curve over the same x values.</summary>
internal sealed class BandSeries(string? label, IReadOnlyList<double> xs, IReadOnlyList<double> lower, IReadOnlyList<double> upper, string color)
    : PlotSeries(label, color)
{
    public override IEnumerable<(double X, double Y)> Extent => xs.Select((x, i) => (x, lower[i])).Concat(xs.Select((x, i) => (x, upper[i])));

    public override void Draw(SvgBuilder svg, PlotFrame frame)
    {
        var outline = xs.Select((x, i) => frame.Map(x, upper[i])).Concat(xs.Select((x, i) => frame.Map(x, lower[i])).Reverse());
        svg.Polygon(outline, Color, 0.22, frame.ClipId);
    }

    public override void DrawSwatch(SvgBuilder svg, double x, double y) => svg.Rectangle(x - 12, y - 6, 24, 12, Color, opacity: 0.3);
}

/// <summary>Dots at (x, y) points.</summary>
internal sealed class ScatterSeries(string? label, IReadOnlyList<(double X, double Y)> points, string color, double radius = 3)
    : PlotSeries(label, color)
{
    public override IEnumerable<(double X, double Y)> Extent => points;

    public override void Draw(SvgBuilder svg, PlotFrame frame)
    {
        foreach (var (x, y) in points)
        {
            var (px, py) = frame.Map(x, y);
            if (double.IsFinite(px) && double.IsFinite(py))
            {
                svg.Circle(px, py, radius, Color, "white", frame.ClipId);
            }
        }
    }

    public override void DrawSwatch(SvgBuilder svg, double x, double y) => svg.Circle(x, y, radius + 1, Color, "white");
}

/// <summary>Iso-lines of a function sampled on a grid, one colour per level (dark = low).</summary>
internal sealed class ContourSeries(string? label, ContourGrid grid, IReadOnlyList<double> levels)
    : PlotSeries(label, Palette.Ramp(0.45))
{
    public override IEnumerable<(double X, double Y)> Extent =>
        [(grid.Xs[0], grid.Ys[0]), (grid.Xs[^1], grid.Ys[^1])];

    public override void Draw(SvgBuilder svg, PlotFrame frame)
    {
        for (int k = 0; k < levels.Count; k++)
        {
            var data = new System.Text.StringBuilder();
            foreach (var ((x1, y1), (x2, y2)) in grid.Segments(levels[k]))
            {
                var (a, b) = frame.Map(x1, y1);
                var (c, d) = frame.Map(x2, y2);
                data.Append('M').Append(SvgBuilder.Number(a)).Append(' ').Append(SvgBuilder.Number(b))
                    .Append('L').Append(SvgBuilder.Number(c)).Append(' ').Append(SvgBuilder.Number(d));
            }
            svg.Path(data.ToString(), Palette.Ramp(levels.Count == 1 ? 0 : (double)k / (levels.Count - 1)), 1, clipId: frame.ClipId);
        }
    }

    public override void DrawSwatch(SvgBuilder svg, double x, double y)
    {
        svg.Line(x - 12, y - 3, x + 12, y - 3, Palette.Ramp(0), 1.5);
        svg.Line(x - 12, y + 3, x + 12, y + 3, Palette.Ramp(1), 1.5);
    }
}
