using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using TinyAutograd.Examples.Cli;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// The default run: every demonstration in the order of the lectures, each at a size that keeps the whole tour to
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
        root.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context));
        });
        return root;
    }

    public static IReadOnlyDictionary<string, object> Run(RunContext context)
    {
        var steps = new List<(string Name, IDemoResult Result, double Seconds)>();
        void Step(string name, Func<IDemoResult> run)
        {
            var clock = Stopwatch.StartNew();
            var result = run();
            steps.Add((name, result, clock.Elapsed.TotalSeconds));
            context.Terminal.WriteLine();
        }

        var total = Stopwatch.StartNew();
        Step(SigmoidNeuronDemo.Name, () => SigmoidNeuronDemo.Run(context));
        Step(OptimizersDemo.Name, () => OptimizersDemo.Run(context));
        Step(BatchingDemo.Name, () => BatchingDemo.Run(context, points: 2000, epochs: 5));
        Step(LogSumExpDemo.Name, () => LogSumExpDemo.Run(context));
        Step(BiasVarianceDemo.Name, () => BiasVarianceDemo.Run(context, dataSets: 4000));
        Step(DigitsDemo.Name, () => DigitsDemo.Run(context, epochs: 20));
        Step(FashionMnistDemo.Name, () => FashionMnistDemo.Run(context, epochs: 1, trainLimit: 3000, testLimit: 2000));

        var table = new Table().Title($"The tour in {Format.Fixed(total.Elapsed.TotalSeconds, 1)} s").AddColumns("demonstration", "result", "seconds");
        foreach (var (name, result, seconds) in steps)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(result.Headline()), Format.Fixed(seconds, 1));
        }
        context.Terminal.Write(table);
        context.Say($"Pictures are in {Path.GetFullPath(context.OutputDirectory)}. Run a demonstration alone, with its options, as a sub-command (--help lists them).");
        return steps.ToDictionary(step => step.Name, step => (object)step.Result);
    }
}
