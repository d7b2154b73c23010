using ScottPlot;
using TinyAutograd.Examples.Charts;

namespace TinyAutograd.Examples.Characters;

/// <summary>A character model's training and validation bits per character over its steps, with the bigram's as a line.</summary>
internal static class BitsPerCharacterChart
{
    public static Plot Create(string title, IReadOnlyList<CharacterTrainingRecord> history, double bigramBits, int totalSteps)
    {
        double[] steps = [.. history.Select(h => (double)h.Step)];
        var chart = Chart.Create(title, "step", "bits per character");
        chart.Line("training (running mean)", steps, [.. history.Select(h => h.TrainingBitsPerChar)], Chart.Pick(0));
        chart.Line("validation", steps, [.. history.Select(h => h.ValidationBitsPerChar)], Chart.Pick(1));
        chart.Line("bigram (validation)", [1, totalSteps], [bigramBits, bigramBits], Chart.Pick(2), 1.5f, LinePattern.Dashed);
        chart.LegendOutside();
        return chart;
    }
}
