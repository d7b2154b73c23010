using System.Globalization;
using System.Xml.Linq;
using TinyAutograd.Examples.Plotting;

namespace TinyAutograd.Tests.Examples;

public sealed class PlottingTests
{
    [Fact]
    public void Contour_segments_of_a_paraboloid_lie_on_its_circles()
    {
        var xs = Enumerable.Range(0, 41).Select(i => -2 + 0.1 * i).ToArray();
        var values = new double[41, 41];
        for (int j = 0; j < 41; j++)
        {
            for (int i = 0; i < 41; i++)
            {
                values[j, i] = xs[i] * xs[i] + xs[j] * xs[j];
            }
        }
        var grid = new ContourGrid(xs, xs, values);

        var segments = grid.Segments(1.0).ToArray();

        Assert.NotEmpty(segments);
        foreach (var (from, to) in segments)
        {
            // Linear interpolation of x² + y² between grid nodes 0.1 apart errs by at most (0.1/2)² in value.
            Assert.InRange(from.X * from.X + from.Y * from.Y, 1 - 0.0026, 1 + 0.0026);
            Assert.InRange(to.X * to.X + to.Y * to.Y, 1 - 0.0026, 1 + 0.0026);
        }
    }

    [Fact]
    public void A_saddle_cell_is_split_into_two_segments()
    {
        // Corners 1, 0, 1, 0 around the cell with mean 0.5: every edge is cut at level 0.4.
        var grid = new ContourGrid([0.0, 1.0], [0.0, 1.0], new double[,] { { 1, 0 }, { 0, 1 } });

        Assert.Equal(2, grid.Segments(0.4).Count());
    }

    [Theory]
    [InlineData(0.13, 0.2)]
    [InlineData(0.9, 1.0)]
    [InlineData(2.2, 2.5)]
    [InlineData(37, 50)]
    [InlineData(0.0004, 0.0005)]
    public void Tick_steps_are_round_numbers(double rough, double expected)
    {
        Assert.Equal(expected, Axis.NiceStep(rough), 12);
    }

    [Fact]
    public void A_linear_axis_covers_the_data_with_round_ticks()
    {
        var scale = new Axis("x").Resolve(0.3, 9.2, 0, 100);

        Assert.Equal(0, scale.Low, 12);
        Assert.Equal(10, scale.High, 12);
        Assert.Equal(["0", "2", "4", "6", "8", "10"], scale.Ticks.Select(t => t.Label));
        Assert.Equal(50, scale.Map(5), 12);
    }

    [Fact]
    public void A_logarithmic_axis_places_decades_evenly()
    {
        var scale = new Axis("loss") { Logarithmic = true }.Resolve(2e-9, 3, 400, 0);

        Assert.Equal(1e-9, scale.Low, 1e-21);
        Assert.Equal(10, scale.High, 12);
        Assert.Equal(400 - 40, scale.Map(1e-8), 9);
        Assert.Contains(scale.Ticks, t => t.Label == "10⁻⁶");
        Assert.True(double.IsNaN(scale.Map(0)));
    }

    [Fact]
    public void Numbers_are_written_with_a_dot_whatever_the_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            string svg = new Plot("title", "x", "y").Line("line", [(0.5, 1.25), (1.5, 2.75)]).ToSvg();

            var document = XDocument.Parse(svg);
            Assert.Equal("svg", document.Root!.Name.LocalName);
            var numbers = document.Descendants().SelectMany(e => e.Attributes()).Where(a => a.Name.LocalName is "x" or "x1" or "y" or "width")
                .Select(a => a.Value);
            Assert.All(numbers, value => Assert.DoesNotContain(",", value, StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_plot_has_a_title_axis_labels_and_a_legend()
    {
        string svg = new Plot("The title", "epoch", "loss").Line("training", [(0, 1), (1, 0.5)]).Line("test", [(0, 1.2), (1, 0.7)]).ToSvg();

        var texts = XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToArray();
        Assert.Contains("The title", texts);
        Assert.Contains("epoch", texts);
        Assert.Contains("loss", texts);
        Assert.Contains("training", texts);
        Assert.Contains("test", texts);
    }
}
