using System.CommandLine;
using ScottPlot;
using Spectre.Console;
using TinyAutograd.Data;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Datasets;
using TinyAutograd.Examples.Models;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// A real model on real data: a small multi-layer perceptron learns to read the 8×8 handwritten digits shipped with
/// this program, trained by mini-batch Adam, and is judged on a held-out test split.
/// </summary>
internal static class DigitsDemo
{
    public const string Name = "digits";

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "An MLP (64-64-10) reads 8×8 handwritten digits: mini-batch Adam, held-out test accuracy, confusion table.");
        var common = new CommonOptions(command);
        var epochs = command.AddOption("--epochs", "Passes over the training split.", 30, 1);
        var batchSize = command.AddOption("--batch-size", "Examples per mini-batch.", 32, 1);
        var hidden = command.AddOption("--hidden", "Width of the hidden layer.", 64, 1);
        var learningRate = command.AddOption("--learning-rate", "Adam's step size.", 0.003, 0.0);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(epochs), parse.GetValue(batchSize), parse.GetValue(hidden), parse.GetValue(learningRate)));
        });
        return command;
    }

    public static DigitsResult Run(RunContext context, int epochs = 30, int batchSize = 32, int hidden = 64, double learningRate = 0.003)
    {
        var (train, test) = DigitsData.Load().Split(testFraction: 0.2, context.Seed);
        context.Heading("Handwritten digits", $"UCI 8×8 digits: {train.Count} for training, {test.Count} held out; MLP 64-{hidden}-10, Adam η = {Format.Number(learningRate)}, batches of {batchSize}");

        var model = new Mlp([train.FeatureCount, hidden, train.ClassNames.Count], context.Seed);
        var optimizer = new Adam<float>(model.Parameters(), new AdamOptions { LearningRate = learningRate });
        var loader = new DataLoader<float>(train.FeatureTensor(), train.Labels, batchSize, shuffle: true, seed: context.Seed);
        var history = new List<EpochRecord>();
        context.WithProgress("epoch", epochs, advance =>
        {
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                double trainLoss = Classification.TrainEpoch(model, optimizer, loader, epoch);
                var evaluation = Classification.Evaluate(model, test);
                history.Add(new EpochRecord(epoch + 1, trainLoss, evaluation.Loss, evaluation.Accuracy));
                advance($"{epoch + 1}/{epochs}, test accuracy {Format.Percent(evaluation.Accuracy)}");
            }
        });

        var final = Classification.Evaluate(model, test);
        context.Terminal.Write(ConfusionTable.Create(final.Confusion, test.ClassNames));
        context.Say($"Test accuracy after {Format.Count(epochs, "epoch")}: {Format.Percent(final.Accuracy)} ({Format.Integer((long)Math.Round(final.Accuracy * test.Count))} of {test.Count}); {model.ParameterCount} parameters.");

        string[] pictures =
        [
            context.Save(LossCurves.Create("Digits: cross-entropy during training", history.Select(h => (h.Epoch, h.TrainLoss, h.TestLoss)).ToArray()), "digits-loss"),
            context.Save(AccuracyChart(history), "digits-accuracy"),
            context.Save(ConfusionChart.Create("Digits: confusion on the test split", final.Confusion, test.ClassNames), "digits-confusion", 620, 560),
        ];
        context.Pictures(pictures);
        return new DigitsResult(final.Accuracy, final.Loss, epochs, train.Count, test.Count, history, ConfusionTable.ToRows(final.Confusion), pictures);
    }

    private static Plot AccuracyChart(IReadOnlyList<EpochRecord> history)
    {
        var chart = Chart.Create("Digits: held-out test accuracy", "epoch", "accuracy (%)");
        var line = chart.Line("test accuracy", [.. history.Select(h => (double)h.Epoch)], [.. history.Select(h => 100 * h.TestAccuracy)], Chart.Pick(2));
        line.MarkerSize = 5;
        chart.ShowLegend(Alignment.LowerRight);
        return chart;
    }
}

/// <summary>The figures of one epoch.</summary>
internal sealed record EpochRecord(int Epoch, double TrainLoss, double TestLoss, double TestAccuracy);

internal sealed record DigitsResult(double TestAccuracy, double TestLoss, int Epochs, int TrainExamples, int TestExamples, IReadOnlyList<EpochRecord> History, int[][] Confusion,
    IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() => $"test accuracy {Format.Percent(TestAccuracy)} after {Format.Count(Epochs, "epoch")}";
}
