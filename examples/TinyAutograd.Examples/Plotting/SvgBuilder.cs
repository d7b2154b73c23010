using System.Globalization;
using System.Text;

namespace TinyAutograd.Examples.Plotting;

/// <summary>Writes an SVG document element by element; every number is formatted with the invariant culture.</summary>
internal sealed class SvgBuilder
{
    /// <summary>Polyline points closer than this (in pixels) to the previous one are skipped: invisible, and they bloat the file.</summary>
    private const double MinimumMove = 0.4;

    private readonly StringBuilder _body = new();
    private readonly StringBuilder _definitions = new();
    private readonly double _width;
    private readonly double _height;

    public SvgBuilder(double width, double height)
    {
        _width = width;
        _height = height;
    }

    /// <summary>A coordinate or size as SVG wants it: invariant culture, at most one decimal (a tenth of a pixel).</summary>
    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Defines a rectangular clip path that later elements can refer to by <paramref name="id"/>.</summary>
    public void ClipRectangle(string id, double x, double y, double width, double height) =>
        _definitions.Append(CultureInfo.InvariantCulture,
            $"<clipPath id=\"{id}\"><rect x=\"{Number(x)}\" y=\"{Number(y)}\" width=\"{Number(width)}\" height=\"{Number(height)}\"/></clipPath>\n");

    public void Rectangle(double x, double y, double width, double height, string fill, string? stroke = null, double opacity = 1) =>
        _body.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{Number(x)}\" y=\"{Number(y)}\" width=\"{Number(width)}\" height=\"{Number(height)}\" fill=\"{fill}\"{Stroke(stroke, 1, null)}{Opacity(opacity)}/>\n");

    public void Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? dash = null) =>
        _body.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{Number(x1)}\" y1=\"{Number(y1)}\" x2=\"{Number(x2)}\" y2=\"{Number(y2)}\"{Stroke(stroke, strokeWidth, dash)}/>\n");

    /// <summary>
    /// An open path through the points; a point with a NaN coordinate breaks it into pieces, and a point less than
    /// <see cref="MinimumMove"/> pixels from the last one drawn is skipped.
    /// </summary>
    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double strokeWidth, string? dash = null, string? clipId = null, double opacity = 1)
    {
        var data = new StringBuilder();
        bool penDown = false;
        (double X, double Y) last = (double.NaN, double.NaN);
        foreach (var (x, y) in points)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                penDown = false;
                continue;
            }
            if (penDown && Math.Abs(x - last.X) < MinimumMove && Math.Abs(y - last.Y) < MinimumMove)
            {
                continue;
            }
            data.Append(penDown ? 'L' : 'M').Append(Number(x)).Append(' ').Append(Number(y));
            penDown = true;
            last = (x, y);
        }
        Path(data.ToString(), stroke, strokeWidth, dash, clipId, opacity);
    }

    /// <summary>A path from raw path data (<c>M x y L x y …</c>), stroked and not filled.</summary>
    public void Path(string data, string stroke, double strokeWidth, string? dash = null, string? clipId = null, double opacity = 1)
    {
        if (data.Length == 0)
        {
            return;
        }
        _body.Append(CultureInfo.InvariantCulture,
            $"<path d=\"{data}\" fill=\"none\" stroke-linejoin=\"round\"{Stroke(stroke, strokeWidth, dash)}{Opacity(opacity)}{Clip(clipId)}/>\n");
    }

    /// <summary>A filled closed polygon.</summary>
    public void Polygon(IEnumerable<(double X, double Y)> points, string fill, double opacity, string? clipId = null)
    {
        var data = string.Join(' ', points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).Select(p => $"{Number(p.X)},{Number(p.Y)}"));
        _body.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{data}\" fill=\"{fill}\"{Opacity(opacity)}{Clip(clipId)}/>\n");
    }

    public void Circle(double x, double y, double radius, string fill, string? stroke = null, string? clipId = null) =>
        _body.Append(CultureInfo.InvariantCulture,
            $"<circle cx=\"{Number(x)}\" cy=\"{Number(y)}\" r=\"{Number(radius)}\" fill=\"{fill}\"{Stroke(stroke, 1, null)}{Clip(clipId)}/>\n");

    /// <summary>A text label. <paramref name="anchor"/> is <c>start</c>, <c>middle</c> or <c>end</c>; <paramref name="rotate"/> turns it about its anchor.</summary>
    public void Text(double x, double y, string text, double size = 12, string anchor = "start", double rotate = 0, bool bold = false, string fill = "#222")
    {
        string transform = rotate == 0 ? "" : $" transform=\"rotate({Number(rotate)} {Number(x)} {Number(y)})\"";
        string weight = bold ? " font-weight=\"bold\"" : "";
        _body.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{Number(x)}\" y=\"{Number(y)}\" font-size=\"{Number(size)}\" text-anchor=\"{anchor}\" fill=\"{fill}\"{weight}{transform}>{Escape(text)}</text>\n");
    }

    /// <summary>The whole document.</summary>
    public override string ToString()
    {
        var document = new StringBuilder();
        document.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Number(_width)}\" height=\"{Number(_height)}\" viewBox=\"0 0 {Number(_width)} {Number(_height)}\" font-family=\"Helvetica, Arial, sans-serif\">\n");
        if (_definitions.Length > 0)
        {
            document.Append("<defs>\n").Append(_definitions).Append("</defs>\n");
        }
        document.Append(_body).Append("</svg>\n");
        return document.ToString();
    }

    /// <summary>Writes the document to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToString());

    private static string Stroke(string? stroke, double width, string? dash) =>
        stroke is null ? "" : $" stroke=\"{stroke}\" stroke-width=\"{Number(width)}\"" + (dash is null ? "" : $" stroke-dasharray=\"{dash}\"");

    private static string Opacity(double opacity) =>
        opacity >= 1 ? "" : $" opacity=\"{opacity.ToString("0.##", CultureInfo.InvariantCulture)}\"";

    private static string Clip(string? clipId) => clipId is null ? "" : $" clip-path=\"url(#{clipId})\"";

    private static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
