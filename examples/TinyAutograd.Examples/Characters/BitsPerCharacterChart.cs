using ScottPlot;
using TinyAutograd.Examples.Charts;

namespace TinyAutograd.Examples.Characters;

/// <summary>
/// A character model's learning curves: the training loss of every step and its centered moving average, the
/// validation loss at each evaluation, and the bigram model's validation loss as a dashed line, all in bits per
/// character.
/// </summary>
internal static class BitsPerCharacterChart
{
    public static Plot Create(string title, CharacterTrainingHistory history, double bigramBits, int totalSteps)
    {
        var chart = Chart.Create(title, "step", "bits per character");
        var stepBits = history.StepBitsPerChar;
        double[] everyStep = Chart.Steps(stepBits.Count, offset: 1);
        int window = 2 * Math.Max(1, stepBits.Count / 25) + 1;
        chart.Line("training (each mini-batch)", everyStep, [.. stepBits], Chart.Pick(0).WithAlpha(0.3), 1);
        chart.Line($"training (mean of {window} steps)", everyStep, CenteredMean(stepBits, window), Chart.Pick(0));
        chart.Line("validation", [.. history.Select(h => (double)h.Step)], [.. history.Select(h => h.ValidationBitsPerChar)], Chart.Pick(1)).MarkerSize = 7;
        chart.Line("bigram (validation)", [1, totalSteps], [bigramBits, bigramBits], Chart.Pick(2), 1.5f, LinePattern.Dashed);
        chart.LegendOutside();
        return chart;
    }

    /// <summary>The mean of each value with its neighbours within <paramref name="window"/>/2 steps either side (fewer at the ends): a smoothing that does not lag.</summary>
    public static double[] CenteredMean(IReadOnlyList<double> values, int window)
    {
        int half = window / 2;
        var means = new double[values.Count];
        for (int i = 0; i < means.Length; i++)
        {
            int first = Math.Max(0, i - half), last = Math.Min(values.Count - 1, i + half);
            double sum = 0;
            for (int j = first; j <= last; j++)
            {
                sum += values[j];
            }
            means[i] = sum / (last - first + 1);
        }
        return means;
    }
}
