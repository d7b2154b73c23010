using ScottPlot;
using ScottPlot.Plottables;
using TinyAutograd.Examples.Models;

namespace TinyAutograd.Examples.Charts;

/// <summary>An error surface drawn as a heatmap with contour lines, on a logarithmic colour scale.</summary>
internal static class SurfaceMap
{
    /// <summary>
    /// Adds the surface as a heatmap of log₁₀(L − L* + ε) with its contour lines, and fixes the axes to the sampled
    /// window. Returns the heatmap (for a colour bar).
    /// </summary>
    /// <remarks>
    /// Error surfaces mix plateaus with steep walls; on a log scale of the height above the minimum L*, the contour
    /// lines spread evenly over both. ε is 10⁻⁶ of the sampled range, so that the minimum itself stays finite.
    /// </remarks>
    public static Heatmap Add(Plot plot, SurfaceGrid grid, double minimum)
    {
        int rows = grid.Ys.Count, columns = grid.Xs.Count;
        double range = grid.Values.Cast<double>().Where(double.IsFinite).Max() - minimum;
        double epsilon = Math.Max(range, 1e-300) * 1e-6;
        double Height(double value) => Math.Log10(Math.Max(value - minimum, 0) + epsilon);

        // Heatmap rows run from the top of the picture down; the grid's rows from the lowest y up.
        var intensities = new double[rows, columns];
        var points = new Coordinates3d[rows, columns];
        for (int j = 0; j < rows; j++)
        {
            for (int i = 0; i < columns; i++)
            {
                double height = Height(grid.Values[j, i]);
                intensities[rows - 1 - j, i] = height;
                points[j, i] = new Coordinates3d(grid.Xs[i], grid.Ys[j], height);
            }
        }

        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // The extent names the centres of the corner cells: the sample points themselves.
        heatmap.Extent = new CoordinateRect(grid.Xs[0], grid.Xs[^1], grid.Ys[0], grid.Ys[^1]);

        var contours = plot.Add.ContourLines(points, 14);
        contours.Colormap = null;
        contours.LineColor = Colors.White.WithAlpha(0.55);
        contours.LineWidth = 1;
        contours.LabelStyle.IsVisible = false;

        plot.Axes.SetLimits(grid.Xs[0], grid.Xs[^1], grid.Ys[0], grid.Ys[^1]);
        return heatmap;
    }

    /// <summary>Adds a colour bar for <paramref name="heatmap"/> on the right, with log₁₀ ticks.</summary>
    public static void AddColorBar(Plot plot, Heatmap heatmap, string label)
    {
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = label;
        bar.LabelStyle.FontSize = 13;
        bar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true, LabelFormatter = LogAxis.Label };
    }
}
