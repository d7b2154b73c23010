using ScottPlot;

namespace TinyAutograd.Examples.Charts;

/// <summary>A classifier's learning curves: training and test loss per epoch, on a logarithmic axis.</summary>
internal static class LossCurves
{
    /// <summary>The chart of <paramref name="epochs"/>: each epoch's number, mean training loss and test loss.</summary>
    public static Plot Create(string title, IReadOnlyList<(int Epoch, double TrainLoss, double TestLoss)> epochs)
    {
        var chart = Chart.Create(title, "epoch", "mean cross-entropy");
        double[] xs = [.. epochs.Select(e => (double)e.Epoch)];
        chart.LineOnLogY("training (mean over the epoch)", xs, [.. epochs.Select(e => e.TrainLoss)], Chart.Pick(0)).MarkerSize = 5;
        chart.LineOnLogY("held-out test", xs, [.. epochs.Select(e => e.TestLoss)], Chart.Pick(1)).MarkerSize = 5;
        LogAxis.Apply(chart, chart.Axes.Left);
        chart.ShowLegend(Alignment.UpperRight);
        return chart;
    }
}
