using ScottPlot;
using SkiaSharp;

namespace TinyAutograd.Examples.Charts;

/// <summary>Writes a chart, or a grid of charts, to a PNG or SVG file.</summary>
internal static class PictureFile
{
    /// <summary>The file extension of <paramref name="format"/>, with its dot.</summary>
    public static string Extension(PictureFormat format) => format == PictureFormat.Svg ? ".svg" : ".png";

    /// <summary>Writes <paramref name="plot"/> at <paramref name="width"/> × <paramref name="height"/> pixels; returns <paramref name="path"/>.</summary>
    public static string Save(Plot plot, string path, PictureFormat format, int width, int height)
    {
        if (format == PictureFormat.Svg)
        {
            plot.SaveSvg(path, width, height);
        }
        else
        {
            plot.SavePng(path, width, height);
        }
        return path;
    }

    /// <summary>Writes the charts of <paramref name="multiplot"/> laid out on one <paramref name="width"/> × <paramref name="height"/> picture.</summary>
    public static string Save(Multiplot multiplot, string path, PictureFormat format, int width, int height)
    {
        if (format == PictureFormat.Svg)
        {
            // The same SkiaSharp SVG canvas that Plot.SaveSvg draws on, holding the whole grid.
            using var stream = File.Create(path);
            using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream);
            multiplot.Render(canvas, new PixelRect(0, width, height, 0));
        }
        else
        {
            multiplot.SavePng(path, width, height);
        }
        return path;
    }
}
