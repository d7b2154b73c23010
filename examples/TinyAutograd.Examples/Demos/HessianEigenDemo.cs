using System.CommandLine;
using System.Diagnostics;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Datasets;
using TinyAutograd.Examples.Models;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// Second order through a real model: the top eigenvalue λ of the Hessian of the CNN's loss on a fixed batch, after
/// some training, by power iteration on exact Hessian-vector products, and what it says about the largest step size
/// with which plain gradient descent stays stable on that loss (2/λ).
/// </summary>
/// <remarks>
/// Near a minimum the loss is close to the quadratic ½·δᵀHδ; gradient descent with step η multiplies the component of
/// δ along an eigenvector of eigenvalue λ by (1 − ηλ) per step, which shrinks only when η &lt; 2/λ. So the largest
/// eigenvalue caps the stable step size (LeCun, Bottou, Orr and Müller, "Efficient BackProp", 1998, §5; Cohen et al.,
/// "Gradient Descent on Neural Networks Typically Occurs at the Edge of Stability", ICLR 2021).
/// </remarks>
internal static class HessianEigenDemo
{
    public const string Name = "hessian-eigen";

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "The top Hessian eigenvalue of the Fashion-MNIST CNN's loss by power iteration on exact Hessian-vector products, and the largest stable gradient-descent step 2/λ.");
        var common = new CommonOptions(command);
        var epochs = command.AddOption("--epochs", "Passes of Adam over the training images before the analysis.", 1, 0);
        var batchSize = command.AddOption("--batch-size", "Images per training mini-batch.", 128, 1);
        var analysisBatch = command.AddOption("--analysis-batch", "Training images in the fixed batch whose loss is analysed.", 256, 1);
        var iterations = command.AddOption("--iterations", "Power-iteration steps (one Hessian-vector product each).", 20, 1);
        var source = FashionMnistSource.AddOptions(command);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(epochs), parse.GetValue(batchSize), parse.GetValue(analysisBatch), parse.GetValue(iterations), source(parse)));
        });
        return command;
    }

    public static HessianEigenResult Run(RunContext context, int epochs = 1, int batchSize = 128, int analysisBatch = 256, int iterations = 20, FashionMnistSource? source = null)
    {
        const double learningRate = 0.001;
        source ??= new FashionMnistSource();
        var clock = Stopwatch.StartNew();
        context.Heading("Top Hessian eigenvalue of the CNN's loss",
            $"{Format.Count(epochs, "epoch")} of Adam on the CNN, then power iteration ({Format.Count(iterations, "step")}) on exact Hessian-vector products of the loss on {analysisBatch} training images");
        if (source.TryLoad(context) is not (var train, var test))
        {
            return HessianEigenResult.Unavailable(FashionMnistData.InstallCommand);
        }

        var model = new ConvNet<float>(new RandomSource(context.Seed));
        if (epochs > 0)
        {
            ClassifierTraining.Run(context, model, train, test, epochs, batchSize, new ClassifierRecipe(learningRate), evaluationBatchSize: 250);
        }

        // The loss on a fixed batch, in evaluation mode (no dropout), so that it is one function of the parameters.
        int count = Math.Min(analysisBatch, train.Count);
        var images = Tensor.FromArray(train.Features.AsSpan(0, count * train.FeatureCount).ToArray(), count, train.FeatureCount);
        var labels = train.Labels.AsSpan(0, count).ToArray();
        model.Eval();
        Tensor<float> Loss(Tensor<float>[] parameters) => model.WithParameters(parameters, () => TinyAutograd.Loss.CrossEntropy(model.Forward(images), labels));
        Tensor<float>[] point = [.. model.Parameters()];

        var estimates = new List<double>();
        Tensor<float>[] vector = [];
        context.WithProgress("power iteration", iterations, advance =>
            vector = HessianPowerIteration.Run(Loss, point, iterations, new RandomSource(context.Seed + 1), (step, estimate) =>
            {
                estimates.Add(estimate);
                advance($"λ ≈ {Format.Number(estimate, 6)}");
            }).Vector);
        for (int step = 0; step < estimates.Count; step++)
        {
            string change = step == 0 ? "" : $" (change {Format.Number(Math.Abs(estimates[step] - estimates[step - 1]) / Math.Abs(estimates[step]), 2)} relative)";
            context.Say($"step {step + 1}: λ ≈ {Format.Number(estimates[step], 6)}{change}");
        }

        double top = estimates[^1];
        double curvature = HessianPowerIteration.SecondDifference(Loss, point, vector, step: 1e-2);
        double stable = 2 / top;
        context.Say($"Top eigenvalue λ ≈ {Format.Number(top, 5)}; the loss's curvature along its eigenvector by a second difference of the loss itself: {Format.Number(curvature, 5)}.");
        context.Say($"Gradient descent on this loss is stable only for step sizes η < 2/λ ≈ {Format.Number(stable, 4)}: a larger step multiplies the error along that direction by |1 − ηλ| > 1 at every step.");
        string[] pictures =
        [
            context.Save(EstimateChart(estimates), "hessian-eigen"),
        ];
        context.Pictures(pictures);
        return new HessianEigenResult(true, null, top, stable, curvature, estimates, count, train.Count, epochs, clock.Elapsed.TotalSeconds, pictures);
    }

    private static ScottPlot.Plot EstimateChart(List<double> estimates)
    {
        var chart = Chart.Create("CNN loss: power iteration on Hessian-vector products", "step", "Rayleigh quotient ⟨v, Hv⟩");
        chart.Line("estimate of λ_max", Chart.Steps(estimates.Count, offset: 1), [.. estimates], Chart.Pick(0)).MarkerSize = 5;
        chart.ShowLegend(ScottPlot.Alignment.LowerRight);
        return chart;
    }
}

internal sealed record HessianEigenResult(bool Available, string? Install, double? TopEigenvalue, double? LargestStableLearningRate, double? CurvatureByDifferences,
    IReadOnlyList<double> Estimates, int AnalysisBatch, int TrainExamples, int Epochs, double Seconds, IReadOnlyList<string> Pictures) : IDemoResult
{
    public static HessianEigenResult Unavailable(string install) => new(false, install, null, null, null, [], 0, 0, 0, 0, []);

    public string Headline() => Available
        ? $"λ_max ≈ {Format.Number(TopEigenvalue!.Value, 4)}, so gradient descent needs η < {Format.Number(LargestStableLearningRate!.Value, 3)}"
        : $"skipped: data not installed ({Install})";
}
