using ScottPlot;
using SkiaSharp;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Models;

namespace TinyAutograd.Tests.Examples;

public sealed class ChartTests
{
    private static string TemporaryPath(string extension) =>
        Path.Combine(Path.GetTempPath(), "tinyautograd-chart-" + Guid.NewGuid().ToString("N") + extension);

    private static Plot LineChart()
    {
        var chart = Chart.Create("Loss θ ∇ ²", "epoch", "loss");
        chart.Line("training", [0, 1, 2, 3], [4, 2, 1, 0.5], Chart.Pick(0), 3);
        return chart;
    }

    [Fact]
    public void A_png_has_the_requested_size_and_shows_the_series_colour()
    {
        string path = PictureFile.Save(LineChart(), TemporaryPath(".png"), PictureFormat.Png, 500, 300);

        Assert.Equal((500, 300), PictureAssert.Png(path));
        var colours = PictureAssert.Colors(path);
        var series = Chart.Pick(0);
        Assert.True(colours.GetValueOrDefault(new SKColor(series.R, series.G, series.B)) > 50, "the line's colour is (almost) absent");
        Assert.True(colours.Count > 20, "a chart with text and a line has more than a few colours");
    }

    [Fact]
    public void An_svg_has_the_requested_size_and_its_labels_as_text()
    {
        string path = PictureFile.Save(LineChart(), TemporaryPath(".svg"), PictureFormat.Svg, 480, 320);

        var root = PictureAssert.Svg(path);
        Assert.Equal("480", root.Attribute("width")?.Value);
        Assert.Equal("320", root.Attribute("height")?.Value);
        var texts = root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToArray();
        Assert.Contains("Loss θ ∇ ²", texts);
        Assert.Contains("epoch", texts);
        Assert.Contains("training", texts);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("svg")]
    public void A_grid_of_charts_fills_one_picture(string formatName)
    {
        var format = Enum.Parse<PictureFormat>(formatName, ignoreCase: true);
        var multiplot = new Multiplot(LineChart()) { Layout = new ScottPlot.MultiplotLayouts.Grid(1, 2) };
        multiplot.AddPlot(LineChart());

        string path = PictureFile.Save(multiplot, TemporaryPath(PictureFile.Extension(format)), format, 800, 300);

        if (format == PictureFormat.Png)
        {
            Assert.Equal((800, 300), PictureAssert.Png(path));
        }
        else
        {
            // Each chart's title is drawn in its own half of the picture.
            var titles = PictureAssert.Svg(path).Descendants().Where(e => e.Name.LocalName == "text" && e.Value.Trim() == "Loss θ ∇ ²");
            var offsets = titles.Select(e => e.Attribute("transform")!.Value).Distinct().ToArray();
            Assert.Equal(2, offsets.Length);
        }
    }

    [Theory]
    [InlineData(0, "10⁰")]
    [InlineData(1, "10¹")]
    [InlineData(-3, "10⁻³")]
    [InlineData(12, "10¹²")]
    [InlineData(-15.0000000001, "10⁻¹⁵")]
    public void Log_ticks_read_as_powers_of_ten(double exponent, string expected) =>
        Assert.Equal(expected, LogAxis.Label(exponent));

    [Fact]
    public void Log_points_leave_out_what_a_log_axis_cannot_show()
    {
        var (xs, ys) = LogAxis.Points([0, 1, 2, 3, 4], [1e-3, 0, -1, double.NaN, 100]);

        Assert.Equal([0.0, 4.0], xs);
        Assert.Equal(-3, ys[0], 12);
        Assert.Equal(2, ys[1], 12);
    }

    [Fact]
    public void Log_points_raise_small_values_to_the_floor()
    {
        var (xs, ys) = LogAxis.Points([0, 1, 2], [1e-3, 0, 1e-20], floor: 1e-12);

        Assert.Equal([0.0, 1.0, 2.0], xs);
        Assert.Equal([-3.0, -12.0, -12.0], ys.Select(y => Math.Round(y, 9)));
    }

    [Fact]
    public void A_log_axis_spans_whole_decades_around_the_data()
    {
        var chart = Chart.Create("t", "x", "y");
        chart.LineOnLogY("a", [0, 1], [Math.Pow(10, -2.3), Math.Pow(10, 1.2)], Chart.Pick(0));

        LogAxis.Apply(chart, chart.Axes.Left);

        Assert.Equal(-3, chart.Axes.Left.Min, 12);
        Assert.Equal(2, chart.Axes.Left.Max, 12);
    }

    [Fact]
    public void A_surface_map_puts_high_y_at_the_top_and_colours_by_log_height()
    {
        // f(x, y) = 10^y on y ∈ {−2, −1, 0, 1}: the log height above the minimum grows by one per row.
        double[] xs = [0, 1, 2];
        double[] ys = [-2, -1, 0, 1];
        var values = new double[ys.Length, xs.Length];
        for (int j = 0; j < ys.Length; j++)
        {
            for (int i = 0; i < xs.Length; i++)
            {
                values[j, i] = Math.Pow(10, ys[j]);
            }
        }
        var chart = Chart.Create("t", "x", "y");

        var heatmap = SurfaceMap.Add(chart, new SurfaceGrid(xs, ys, values), minimum: 0);

        // Row 0 of the heatmap is drawn at the top: it must hold the largest y.
        for (int row = 0; row < ys.Length; row++)
        {
            double y = ys[ys.Length - 1 - row];
            // ε = 10⁻⁶ of the range (10) lifts the lowest row by log₁₀(1 + 10⁻⁵/10⁻²) ≈ 4e-4 only.
            Assert.Equal(y, heatmap.Intensities[row, 1], 3);
        }
        Assert.Equal((0.0, 2.0, -2.0, 1.0), (chart.Axes.Bottom.Min, chart.Axes.Bottom.Max, chart.Axes.Left.Min, chart.Axes.Left.Max));
    }

    [Fact]
    public void A_confusion_chart_labels_every_cell_with_its_count()
    {
        int[,] confusion = { { 5, 1, 0 }, { 2, 7, 1 }, { 0, 0, 9 } };

        var chart = ConfusionChart.Create("c", confusion, ["a", "b", "c"]);

        var labels = chart.GetPlottables().OfType<ScottPlot.Plottables.Text>().Select(t => (t.Location.X, t.Location.Y, t.LabelText)).ToHashSet();
        for (int row = 0; row < 3; row++)
        {
            for (int column = 0; column < 3; column++)
            {
                Assert.Contains((column, 2.0 - row, confusion[row, column].ToString(System.Globalization.CultureInfo.InvariantCulture)), labels);
            }
        }
        var heatmap = chart.GetPlottables().OfType<ScottPlot.Plottables.Heatmap>().Single();
        Assert.Equal(7.0 / 10, heatmap.Intensities[1, 1], 12);
    }

    [Fact]
    public void A_demonstration_writes_svg_on_request()
    {
        var (json, directory) = ExampleRun.Json("verify", "--points", "2", "--picture-format", "svg");

        var pictures = json.GetProperty("pictures").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.NotEmpty(pictures);
        Assert.All(pictures, picture =>
        {
            Assert.StartsWith(directory, picture, StringComparison.Ordinal);
            Assert.EndsWith(".svg", picture, StringComparison.Ordinal);
            PictureAssert.Svg(picture);
        });
    }
}
