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
/// SEEDS §5: the learning rate over time. Mini-batch SGD with a deliberately large rate on the noisy line, under a
/// constant rate, step decay, exponential decay, 1/t decay, and cuts whenever the epoch's loss rises. Decaying rates
/// keep the early speed and lose the late jitter.
/// </summary>
internal static class SchedulesDemo
{
    public const string Name = "schedules";

    private const int BatchSize = 10;
    private const int SamplesPerEpoch = 100;

    /// <summary>A schedule attached to an optimizer; the returned action is called after each epoch with the loss on all data.</summary>
    private sealed record Schedule(string Name, Func<ILearningRateTarget, Action<double>> Attach);

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "Learning-rate schedules (constant, step, exponential, 1/t, cut on loss increase) on mini-batch SGD.");
        var common = new CommonOptions(command);
        var points = command.AddOption("--points", "Number of data points N.", 2000, BatchSize);
        var epochs = command.AddOption("--epochs", "Passes over the data (the schedules count epochs).", 20, 1);
        var learningRate = command.AddOption("--learning-rate", "The initial rate α₀ of every schedule.", 0.3, 0.0);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(points), parse.GetValue(epochs), parse.GetValue(learningRate)));
        });
        return command;
    }

    public static SchedulesResult Run(RunContext context, int points = 2000, int epochs = 20, double learningRate = 0.3)
    {
        context.Heading("Learning-rate schedules", $"Mini-batch SGD (m = {BatchSize}) on {points} noisy points, α₀ = {Format.Number(learningRate)}, {Format.Count(epochs, "epoch")}");
        var problem = new NoisyLine(points, context.Seed);
        var step = new StepDecay(learningRate, interval: 4, factor: 0.5);
        var exponential = new ExponentialDecay(learningRate, decay: 0.25);
        var inverseTime = new InverseTimeDecay(learningRate, decay: 0.5);
        const double cut = 0.5;
        Schedule[] schedules =
        [
            new("constant α₀", optimizer => Scheduled(optimizer, new ConstantLearningRate(learningRate))),
            new($"step: ×{Format.Number(step.Factor)} every {step.Interval} epochs", optimizer => Scheduled(optimizer, step)),
            new($"exponential: α₀·e^(−{Format.Number(exponential.Decay)}t)", optimizer => Scheduled(optimizer, exponential)),
            new($"1/t: α₀ / (1 + {Format.Number(inverseTime.Decay)}t)", optimizer => Scheduled(optimizer, inverseTime)),
            new($"×{Format.Number(cut)} when the loss rises", optimizer =>
            {
                optimizer.LearningRate = learningRate;
                var decay = new DecayOnLossIncrease(optimizer, factor: cut);
                return loss => decay.Report(loss);
            }),
        ];

        var runs = new List<ScheduleRun>();
        context.WithProgress("training", schedules.Length, advance =>
        {
            foreach (var schedule in schedules)
            {
                runs.Add(Train(problem, schedule, epochs, context.Seed));
                advance(schedule.Name);
            }
        });

        var table = new Table().AddColumns("schedule", "final α", "final L − L*", "last epoch: mean L − L*");
        foreach (var run in runs)
        {
            table.AddRow(Markup.Escape(run.Name), Format.Number(run.Rates[^1], 3), Format.Number(run.FinalExcess, 3), Format.Number(run.EpochMeanExcess[^1], 3));
        }
        context.Terminal.Write(table);

        var lossChart = Chart.Create("Schedules: loss above the optimum, averaged over each epoch", "epoch", "mean L − L* during the epoch");
        var rateChart = Chart.Create("Schedules: the learning rate", "epoch", "α");
        for (int i = 0; i < runs.Count; i++)
        {
            lossChart.LineOnLogY(runs[i].Name, Chart.Steps(runs[i].EpochMeanExcess.Count, 1), runs[i].EpochMeanExcess, Chart.Pick(i));
            rateChart.LineOnLogY(runs[i].Name, Chart.Steps(runs[i].Rates.Count), runs[i].Rates, Chart.Pick(i));
        }
        foreach (var chart in new[] { lossChart, rateChart })
        {
            LogAxis.Apply(chart, chart.Axes.Left);
            chart.LegendOutside();
        }
        string[] pictures =
        [
            context.Save(lossChart, "schedules-loss", 860, 440),
            context.Save(rateChart, "schedules-rate", 860, 440),
        ];
        context.Pictures(pictures);
        return new SchedulesResult(points, epochs, learningRate,
            runs.Select(r => new ScheduleSummary(r.Name, r.Rates[^1], r.FinalExcess, r.EpochMeanExcess[^1])).ToArray(), pictures);
    }

    private static Action<double> Scheduled(ILearningRateTarget optimizer, ILearningRateSchedule schedule)
    {
        var scheduler = new LearningRateScheduler(optimizer, schedule);
        return _ => scheduler.Step();
    }

    /// <summary>The mean of L − L* over samples taken during each epoch, the rate in force during each epoch (and after the last), and the final L − L*.</summary>
    private sealed record ScheduleRun(string Name, List<double> EpochMeanExcess, List<double> Rates, double FinalExcess);

    private static ScheduleRun Train(NoisyLine problem, Schedule schedule, int epochs, ulong seed)
    {
        var theta = NoisyLine.InitialParameters();
        var optimizer = new GradientDescent<double>([theta]);
        var endOfEpoch = schedule.Attach(optimizer);
        var loader = new DataLoader<double>(problem.Inputs, problem.Targets, BatchSize, shuffle: true, seed: seed);
        int stride = Math.Max(1, loader.BatchesPerEpoch / SamplesPerEpoch);
        var epochMeans = new List<double>();
        var rates = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            rates.Add(optimizer.LearningRate);
            var samples = new List<double>();
            int update = 0;
            foreach (var batch in loader.Epoch(epoch))
            {
                optimizer.ZeroGrad();
                NoisyLine.Loss(theta, batch.Features, batch.Targets).Backward();
                optimizer.Step();
                if (++update % stride == 0)
                {
                    samples.Add(problem.Loss(theta) - problem.MinimumLoss);
                }
            }
            epochMeans.Add(samples.Average());
            endOfEpoch(problem.Loss(theta));
        }
        rates.Add(optimizer.LearningRate);
        return new ScheduleRun(schedule.Name, epochMeans, rates, problem.Loss(theta) - problem.MinimumLoss);
    }
}

internal sealed record ScheduleSummary(string Schedule, double FinalLearningRate, double FinalExcessLoss, double LastEpochMeanExcessLoss);

internal sealed record SchedulesResult(int Points, int Epochs, double InitialLearningRate, IReadOnlyList<ScheduleSummary> Schedules, IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline()
    {
        var best = Schedules.MinBy(s => s.LastEpochMeanExcessLoss)!;
        var constant = Schedules[0];
        return $"last-epoch mean L − L*: constant {Format.Number(constant.LastEpochMeanExcessLoss, 2)}, best {best.Schedule} {Format.Number(best.LastEpochMeanExcessLoss, 2)}";
    }
}
