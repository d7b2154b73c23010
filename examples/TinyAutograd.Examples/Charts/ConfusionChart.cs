using System.Globalization;
using ScottPlot;

namespace TinyAutograd.Examples.Charts;

/// <summary>A classifier's confusion matrix as a heatmap, each cell labelled with its count.</summary>
internal static class ConfusionChart
{
    /// <summary>
    /// The chart of <paramref name="confusion"/> (rows: true class, columns: predicted class). A cell's colour is its
    /// share of the row, so that rare and common classes read alike; the diagonal holds each class's recall.
    /// </summary>
    public static Plot Create(string title, int[,] confusion, IReadOnlyList<string> classNames)
    {
        int classes = classNames.Count;
        var shares = new double[classes, classes];
        for (int row = 0; row < classes; row++)
        {
            double total = Math.Max(1, Enumerable.Range(0, classes).Sum(column => confusion[row, column]));
            for (int column = 0; column < classes; column++)
            {
                shares[row, column] = confusion[row, column] / total;
            }
        }

        var chart = Chart.Create(title, "predicted class", "true class");
        var heatmap = chart.Add.Heatmap(shares);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Cell (row, column) is centred on x = column and y = classes − 1 − row, so that the first class is at the top
        // (the extent names the centres of the corner cells).
        heatmap.Extent = new CoordinateRect(0, classes - 1, 0, classes - 1);
        for (int row = 0; row < classes; row++)
        {
            for (int column = 0; column < classes; column++)
            {
                var label = chart.Add.Text(confusion[row, column].ToString(CultureInfo.InvariantCulture), column, classes - 1 - row);
                label.Alignment = Alignment.MiddleCenter;
                label.LabelFontSize = 11;
                label.LabelFontColor = shares[row, column] > 0.5 ? Colors.Black : Colors.White;
            }
        }

        double[] positions = [.. Enumerable.Range(0, classes).Select(i => (double)i)];
        chart.Axes.Bottom.SetTicks(positions, [.. classNames]);
        chart.Axes.Left.SetTicks([.. positions.Reverse()], [.. classNames]);
        if (classNames.Any(name => name.Length > 3))
        {
            // Long names would overlap side by side: slant them.
            chart.Axes.Bottom.TickLabelStyle.Rotation = 35;
            chart.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            chart.Axes.Bottom.MinimumSize = 90;
        }
        chart.Axes.SetLimits(-0.5, classes - 0.5, -0.5, classes - 0.5);
        var bar = chart.Add.ColorBar(heatmap);
        bar.Label = "share of the true class";
        bar.LabelStyle.FontSize = 13;
        return chart;
    }
}
