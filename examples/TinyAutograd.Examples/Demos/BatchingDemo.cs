using System.CommandLine;
using ScottPlot;
using Spectre.Console;
using TinyAutograd.Data;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Models;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// SEEDS §3: batch gradient descent (one update per epoch), SGD (one per example) and mini-batches of m examples, all
/// with the same learning rate on the same noisy line. SGD gets close fastest, then keeps jumping around the minimum;
/// larger batches jump less.
/// </summary>
internal static class BatchingDemo
{
    public const string Name = "batching";

    /// <summary>The most loss evaluations recorded per epoch and method (enough to show the oscillation).</summary>
    private const int SamplesPerEpoch = 400;

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "Batch gradient descent, SGD and mini-batches on a noisy line: loss per epoch and per example seen.");
        var common = new CommonOptions(command);
        var points = command.AddOption("--points", "Number of data points N.", 4000, 2);
        var epochs = command.AddOption("--epochs", "Passes over the data.", 10, 1);
        var learningRate = command.AddOption("--learning-rate", "Step size η, the same for every batch size.", 0.05, 0.0);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(points), parse.GetValue(epochs), parse.GetValue(learningRate)));
        });
        return command;
    }

    public static BatchingResult Run(RunContext context, int points = 4000, int epochs = 10, double learningRate = 0.05)
    {
        context.Heading("Batch, stochastic and mini-batch", $"{points} points y = 1.5x − 0.5 + noise, a line fitted with η = {Format.Number(learningRate)} for {Format.Count(epochs, "epoch")}");
        var problem = new NoisyLine(points, context.Seed);
        context.Say($"The best line's loss L* = {Format.Number(problem.MinimumLoss, 6)} (Newton-CG on all points).");

        int[] batchSizes = [points, 1, 10, 100];
        var runs = new List<BatchRun>();
        context.WithProgress("training", batchSizes.Length, advance =>
        {
            foreach (int m in batchSizes.Where(m => m <= points))
            {
                runs.Add(Train(problem, m, epochs, learningRate, context.Seed));
                advance($"m = {m}");
            }
        });

        var table = new Table().Title("L − L*: how far above the best line's loss").AddColumns("method", "updates/epoch", "after 1 epoch", "final", "last epoch: mean", "last epoch: max");
        foreach (var run in runs)
        {
            table.AddRow(Markup.Escape(run.Label), Format.Integer(run.UpdatesPerEpoch), Format.Number(run.AfterFirstEpoch, 3), Format.Number(run.FinalExcess, 3),
                Format.Number(run.LastEpochMeanExcess, 3), Format.Number(run.LastEpochMaxExcess, 3));
        }
        context.Terminal.Write(table);
        var closest = runs.MinBy(run => run.AfterFirstEpoch)!;
        context.Say($"After one epoch {closest.Label} is closest, while batch GD has made a single update. " +
            "Near the minimum the small batches keep jumping: mean L − L* over the last epoch " +
            string.Join(", ", runs.Where(run => run.BatchSize < points).Select(run => $"{Format.Number(run.LastEpochMeanExcess, 2)} for m = {run.BatchSize}")) + ".");

        var byEpoch = Chart.Create("Batch vs stochastic vs mini-batch: loss above the optimum", "epoch", "L − L*");
        var lastEpoch = Chart.Create("The last epoch: oscillation around the minimum", "examples seen in the last epoch", "L − L*");
        double lastStart = (epochs - 1) * (double)points;
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            byEpoch.LineOnLogY(run.Label, [.. run.Curve.Select(p => p.ExamplesSeen / (double)points)], [.. run.Curve.Select(p => p.Excess)], Chart.Pick(i), 1.5f);
            var last = run.Curve.Where(p => p.ExamplesSeen >= lastStart).ToArray();
            lastEpoch.LineOnLogY(run.Label, [.. last.Select(p => p.ExamplesSeen - lastStart)], [.. last.Select(p => p.Excess)], Chart.Pick(i), 1.5f);
        }
        foreach (var chart in new[] { byEpoch, lastEpoch })
        {
            LogAxis.Apply(chart, chart.Axes.Left);
            chart.LegendOutside();
        }
        string[] pictures =
        [
            context.Save(byEpoch, "batching-epochs", 860, 440),
            context.Save(lastEpoch, "batching-last-epoch", 860, 440),
        ];
        context.Pictures(pictures);

        return new BatchingResult(points, epochs, learningRate, problem.MinimumLoss,
            runs.Select(r => new BatchSummary(r.BatchSize, r.Label, r.UpdatesPerEpoch, r.FinalExcess, r.LastEpochMeanExcess, r.LastEpochMaxExcess)).ToArray(),
            pictures);
    }

    /// <summary>The loss above the optimum after a given number of examples had been used for updates.</summary>
    private readonly record struct Sample(long ExamplesSeen, double Excess);

    private sealed record BatchRun(int BatchSize, string Label, int UpdatesPerEpoch, List<Sample> Curve, double AfterFirstEpoch, double FinalExcess, double LastEpochMeanExcess, double LastEpochMaxExcess);

    private static BatchRun Train(NoisyLine problem, int batchSize, int epochs, double learningRate, ulong seed)
    {
        var theta = NoisyLine.InitialParameters();
        var optimizer = new GradientDescent<double>([theta], new GradientDescentOptions { LearningRate = learningRate });
        var loader = new DataLoader<double>(problem.Inputs, problem.Targets, batchSize, shuffle: true, seed: seed);
        int stride = Math.Max(1, loader.BatchesPerEpoch / SamplesPerEpoch);
        var curve = new List<Sample> { new(0, problem.Loss(theta) - problem.MinimumLoss) };
        double afterFirstEpoch = double.NaN;
        var lastEpoch = new List<double>();
        long seen = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int update = 0;
            foreach (var batch in loader.Epoch(epoch))
            {
                optimizer.ZeroGrad();
                NoisyLine.Loss(theta, batch.Features, batch.Targets).Backward();
                optimizer.Step();
                seen += batch.Count;
                if (++update % stride == 0 || update == loader.BatchesPerEpoch)
                {
                    double excess = problem.Loss(theta) - problem.MinimumLoss;
                    curve.Add(new Sample(seen, excess));
                    if (epoch == epochs - 1)
                    {
                        lastEpoch.Add(excess);
                    }
                }
            }
            if (epoch == 0)
            {
                afterFirstEpoch = curve[^1].Excess;
            }
        }
        string label = batchSize == problem.Count ? $"batch GD (m = N = {batchSize})" : batchSize == 1 ? "SGD (m = 1)" : $"mini-batch (m = {batchSize})";
        return new BatchRun(batchSize, label, loader.BatchesPerEpoch, curve, afterFirstEpoch, curve[^1].Excess, lastEpoch.Average(), lastEpoch.Max());
    }
}

internal sealed record BatchSummary(int BatchSize, string Method, int UpdatesPerEpoch, double FinalExcessLoss, double LastEpochMeanExcessLoss, double LastEpochMaxExcessLoss);

internal sealed record BatchingResult(int Points, int Epochs, double LearningRate, double MinimumLoss, IReadOnlyList<BatchSummary> Runs, IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() => "last-epoch mean L − L*: " + string.Join(", ", Runs.Select(r => $"m = {r.BatchSize}: {Format.Number(r.LastEpochMeanExcessLoss, 2)}"));
}
