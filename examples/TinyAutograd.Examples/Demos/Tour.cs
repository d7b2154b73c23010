using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using TinyAutograd.Examples.Characters;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Datasets;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// The default run: every demonstration, from the simplest to the largest, each at a size that keeps the whole tour to
/// about a minute, then a table of what each found.
/// </summary>
internal static class Tour
{
    public static RootCommand Command(ConsoleStreams streams)
    {
        var root = new RootCommand(
            "TinyAutograd examples: how neural networks learn their parameters, shown with the library. " +
            "Without a sub-command, runs the tour of all demonstrations at a small size.");
        var common = new CommonOptions(root);
        var quick = root.AddFlag("--quick", "Run every demonstration at a tiny size (a smoke test of a few seconds; the figures mean little).");
        root.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(quick)));
        });
        return root;
    }

    public static TourResult Run(RunContext context, bool quick = false)
    {
        int Size(int tour, int tiny) => quick ? tiny : tour;
        var steps = new List<(string Name, IDemoResult Result, double Seconds)>();
        void Step(string name, Func<IDemoResult> run)
        {
            var clock = Stopwatch.StartNew();
            var result = run();
            steps.Add((name, result, clock.Elapsed.TotalSeconds));
            context.Terminal.WriteLine();
        }

        var total = Stopwatch.StartNew();
        Step(SigmoidNeuronDemo.Name, () => SigmoidNeuronDemo.Run(context, epochs: Size(1000, 50)));
        Step(OptimizersDemo.Name, () => OptimizersDemo.Run(context, maxIterations: Size(500, 30)));
        Step(BatchingDemo.Name, () => BatchingDemo.Run(context, points: Size(2000, 200), epochs: Size(5, 2)));
        Step(SchedulesDemo.Name, () => SchedulesDemo.Run(context, points: Size(1000, 200), epochs: Size(15, 3)));
        Step(LogSumExpDemo.Name, () => LogSumExpDemo.Run(context, iterations: Size(2000, 50)));
        Step(BiasVarianceDemo.Name, () => BiasVarianceDemo.Run(context, dataSets: Size(4000, 200), steps: Size(1500, 100)));
        Step(DigitsDemo.Name, () => DigitsDemo.Run(context, epochs: Size(20, 1)));
        Step(FashionMnistDemo.Name, () => FashionMnistDemo.Run(context, epochs: 1, trainLimit: Size(3000, 256), testLimit: Size(2000, 256)));
        Step(CnnDemo.Name, () => CnnDemo.Run(context, epochs: 1, source: new FashionMnistSource(Size(2000, 128), Size(1000, 128))));
        Step(HessianEigenDemo.Name, () => HessianEigenDemo.Run(context, epochs: 1, analysisBatch: Size(128, 16), iterations: Size(10, 3), source: new FashionMnistSource(Size(1000, 128), Size(500, 64))));
        Step(CustomModelDemo.Name, () => CustomModelDemo.Run(context, steps: Size(600, 20)));
        Step(VerifyDemo.Name, () => VerifyDemo.Run(context, points: Size(7, 2)));
        var characterRun = new CharacterRunSettings(Steps: Size(40, 3), BatchSize: 16, SequenceLength: 32, LearningRate: 0.01, TextLength: Size(60_000, 3000),
            SampleLength: Size(120, 20), Temperature: 0.7);
        Step(CharLstmDemo.Name, () => CharLstmDemo.Run(context, new CharLstmSettings(characterRun, Hidden: Size(64, 8), Embedding: 16, Layers: 1)));
        Step(CharTransformerDemo.Name, () => CharTransformerDemo.Run(context, CharTransformerSettings.FullSize with
        {
            Run = characterRun with { BatchSize = 8, LearningRate = CharTransformerSettings.FullSize.Run.LearningRate },
            ModelSize = Size(32, 8), Heads = 2, Layers = Size(2, 1),
        }));

        var table = new Table().Title($"The tour in {Format.Fixed(total.Elapsed.TotalSeconds, 1)} s").AddColumns("demonstration", "result", "seconds");
        foreach (var (name, result, seconds) in steps)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(result.Headline()), Format.Fixed(seconds, 1));
        }
        context.Terminal.Write(table);
        context.Say($"Pictures are in {Path.GetFullPath(context.OutputDirectory)}. Run a demonstration alone, with its options, as a sub-command (--help lists them).");
        return new TourResult(total.Elapsed.TotalSeconds,
            steps.ToDictionary(step => step.Name, step => step.Seconds),
            steps.ToDictionary(step => step.Name, step => (object)step.Result));
    }
}

/// <summary>The tour's timings and every demonstration's result, keyed by sub-command name.</summary>
internal sealed record TourResult(double Seconds, IReadOnlyDictionary<string, double> StepSeconds, IReadOnlyDictionary<string, object> Results);
