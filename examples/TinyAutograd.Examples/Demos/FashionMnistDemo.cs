using System.CommandLine;
using ScottPlot;
using Spectre.Console;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Datasets;
using TinyAutograd.Examples.Models;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// The full-size demonstration: a 784-256-256-10 perceptron learns Fashion-MNIST (60,000 training images of clothes)
/// by mini-batch Adam, from Debian's <c>dataset-fashion-mnist</c> package when it is installed.
/// </summary>
internal static class FashionMnistDemo
{
    public const string Name = "fashion-mnist";

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "A 784-256-256-10 MLP on Fashion-MNIST with mini-batch Adam (needs: apt-get install dataset-fashion-mnist).");
        var common = new CommonOptions(command);
        var epochs = command.AddOption("--epochs", "Passes over the training images.", 10, 1);
        var batchSize = command.AddOption("--batch-size", "Images per mini-batch.", 128, 1);
        var learningRate = command.AddOption("--learning-rate", "Adam's step size.", 0.001, 0.0);
        var source = FashionMnistSource.AddOptions(command);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            var data = source(parse);
            context.Finish(Run(context, parse.GetValue(epochs), parse.GetValue(batchSize), parse.GetValue(learningRate), data.TrainLimit, data.TestLimit, data.Directory));
        });
        return command;
    }

    public static FashionMnistResult Run(RunContext context, int epochs = 10, int batchSize = 128, double learningRate = 0.001, int trainLimit = 0,
        int testLimit = 0, string dataDirectory = FashionMnistData.DefaultDirectory)
    {
        context.Heading("Fashion-MNIST", $"784-256-256-10 MLP, mini-batch Adam (η = {Format.Number(learningRate)} with cosine decay, batches of {batchSize}), {Format.Count(epochs, "epoch")}");
        if (new FashionMnistSource(trainLimit, testLimit, dataDirectory).TryLoad(context) is not (var train, var test))
        {
            return FashionMnistResult.Unavailable(FashionMnistData.InstallCommand);
        }

        context.Say($"{train.Count} training and {test.Count} test images from {dataDirectory}.");
        var model = new Mlp([train.FeatureCount, 256, 256, train.ClassNames.Count], context.Seed);
        var (history, final) = ClassifierTraining.Run(context, model, train, test, epochs, batchSize, new ClassifierRecipe(learningRate), evaluationBatchSize: 2000);

        context.Terminal.Write(ConfusionTable.Create(final.Confusion, test.ClassNames));
        double totalSeconds = history.Sum(h => h.Seconds);
        context.Say($"Test accuracy {Format.Percent(final.Accuracy)} after {Format.Count(epochs, "epoch")}; {Format.Fixed(totalSeconds / epochs, 1)} s per epoch of training.");

        string[] pictures =
        [
            context.Save(LossCurves.Create("Fashion-MNIST: cross-entropy during training", history.Select(h => (h.Epoch, h.TrainLoss, h.TestLoss)).ToArray()), "fashion-mnist-loss"),
            context.Save(ConfusionChart.Create("Fashion-MNIST: confusion on the test split", final.Confusion, test.ClassNames), "fashion-mnist-confusion", 720, 640),
        ];
        context.Pictures(pictures);
        return new FashionMnistResult(true, null, final.Accuracy, epochs, totalSeconds, train.Count, history, ConfusionTable.ToRows(final.Confusion), pictures);
    }
}

internal sealed record FashionMnistResult(bool Available, string? Install, double? TestAccuracy, int Epochs, double? Seconds, int TrainExamples,
    IReadOnlyList<TimedEpoch> History, int[][] Confusion, IReadOnlyList<string> Pictures) : IDemoResult
{
    public static FashionMnistResult Unavailable(string install) => new(false, install, null, 0, null, 0, [], [], []);

    public string Headline() => Available
        ? $"test accuracy {Format.Percent(TestAccuracy!.Value)} after {Format.Count(Epochs, "epoch")} on {TrainExamples} images, {Format.Fixed(Seconds!.Value / Epochs, 1)} s/epoch"
        : $"skipped: data not installed ({Install})";
}
