using System.CommandLine;
using ScottPlot;
using Spectre.Console;
using TinyAutograd.Checks;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Models;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// How to bring your own pieces: a new operation (<see cref="Swish"/>, with its hand-written backward and forward-mode
/// rules) checked by the library's GradCheck and GradGradCheck, and a model of your own (<see cref="SwishNetwork"/>)
/// built on it, trained with Adam, whose derivative comes out of forward mode through the new operation.
/// </summary>
internal static class CustomModelDemo
{
    public const string Name = "custom-model";

    /// <summary>The standard deviation of the noise added to the samples.</summary>
    private const double NoiseStd = 0.05;

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "Write your own op (Swish, with backward and JVP rules) and model; check the rules with GradCheck; fit a curve.");
        var common = new CommonOptions(command);
        var steps = command.AddOption("--steps", "Full-batch Adam steps.", 1500, 1);
        var hidden = command.AddOption("--hidden", "Width of the two hidden layers.", 16, 1);
        var points = command.AddOption("--points", "Number of noisy samples of the curve.", 200, 2);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(steps), parse.GetValue(hidden), parse.GetValue(points)));
        });
        return command;
    }

    public static CustomModelResult Run(RunContext context, int steps = 1500, int hidden = 16, int points = 200)
    {
        context.Heading("Your own op and model", "Swish y = x·σ(x) as a CustomOperation with hand-written rules, checked, then used in a curve-fitting network");
        var random = new RandomSource(context.Seed);
        var swish = new Swish();
        var network = new SwishNetwork(hidden, context.Seed);
        var probe = random.Uniform<double>([6], -4, 4);
        var inputs = random.Uniform<double>([4, 1], -3, 3);
        CheckSummary[] checks =
        [
            CheckSummary.From("GradCheck: Swish (reverse and forward mode)", GradCheck.Run(x => swish.Apply(x), probe)),
            CheckSummary.From("GradGradCheck: Swish (second derivatives)", GradGradCheck.Run(x => swish.Apply(x), probe)),
            CheckSummary.From("GradCheck: the whole network, dŷ/dx", GradCheck.Run(network.Forward, inputs)),
        ];
        var verdicts = new Table().AddColumns("check", "verdict", "values compared", "largest error");
        foreach (var check in checks)
        {
            verdicts.AddRow(Markup.Escape(check.Name), check.Passed ? "[green]passed[/]" : "[red]FAILED[/]", Format.Integer(check.Compared),
                check.WorstError is { } error ? Format.Number(error, 2) : "-");
        }
        context.Terminal.Write(verdicts);

        var x = Tensor.Arange<double>(0, points).Reshape(points, 1) * (6.0 / (points - 1)) - 3.0;
        var y = Curve(x) + random.Normal<double>([points, 1], 0, NoiseStd);
        var optimizer = new Adam<double>(network.Parameters(), new AdamOptions { LearningRate = 0.01 });
        var losses = new List<double>();
        context.WithProgress("training", steps, advance =>
        {
            for (int step = 0; step < steps; step++)
            {
                optimizer.ZeroGrad();
                var loss = Loss.SquaredError(network.Forward(x), y);
                loss.Backward();
                optimizer.Step();
                losses.Add(loss.ToScalar());
                advance($"mean squared error {Format.Number(losses[^1], 3)}");
            }
        });
        context.Say($"Mean squared error after {steps} steps: {Format.Number(losses[^1], 4)} (the noise's own variance is {Format.Number(NoiseStd * NoiseStd)}).");

        // The fitted curve's slope dŷ/dx by forward mode: one JVP with tangent 1 at every input (Swish.Jvp at work).
        var (fitted, slope) = AutoDiff.Jvp(network.Forward, x, Tensor.Ones<double>(points, 1));
        var xs = x.ToArray();
        string[] pictures =
        [
            context.Save(FitChart(xs, y.ToArray(), Curve(x).ToArray(), fitted.ToArray(), slope.ToArray()), "custom-model-fit", 860, 440),
            context.Save(LossChart(losses), "custom-model-loss"),
        ];
        context.Pictures(pictures);
        return new CustomModelResult(losses[^1], steps, checks, pictures);
    }

    private static Plot FitChart(double[] xs, double[] samples, double[] curve, double[] fitted, double[] slope)
    {
        var chart = Chart.Create("A Swish network fitted to noisy samples, and its slope", "x", "y and dy/dx");
        chart.Dots("samples", xs, samples, Colors.Gray, 4);
        chart.Line("true curve sin(2x)·exp(−x²/8)", xs, curve, Colors.Black, 1.5f, LinePattern.Dashed);
        chart.Line("fitted network ŷ(x)", xs, fitted, Chart.Pick(3));
        chart.Line("true slope f′(x)", xs, [.. xs.Select(CurveSlope)], Chart.Pick(0), 1.2f, LinePattern.Dashed);
        chart.Line("dŷ/dx by forward mode", xs, slope, Chart.Pick(0), 1.8f);
        chart.LegendOutside();
        return chart;
    }

    private static Plot LossChart(List<double> losses)
    {
        var chart = Chart.Create("Swish network: training loss", "step", "mean squared error");
        chart.LineOnLogY("training loss", Chart.Steps(losses.Count), losses, Chart.Pick(0));
        LogAxis.Apply(chart, chart.Axes.Left);
        return chart;
    }

    /// <summary>The curve to learn: sin(2x)·exp(−x²/8) (data, so plain arithmetic on the values).</summary>
    private static Tensor<double> Curve(Tensor<double> x) =>
        Tensor.FromArray(x.ToArray().Select(v => Math.Sin(2 * v) * Math.Exp(-v * v / 8)).ToArray(), x.Shape.ToArray());

    /// <summary>f′(x) = (2cos(2x) − (x/4)·sin(2x))·exp(−x²/8).</summary>
    private static double CurveSlope(double x) => (2 * Math.Cos(2 * x) - x / 4 * Math.Sin(2 * x)) * Math.Exp(-x * x / 8);
}

internal sealed record CustomModelResult(double FinalLoss, int Steps, IReadOnlyList<CheckSummary> Checks, IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() =>
        $"{Checks.Count(c => c.Passed)} of {Checks.Count} checks passed; mean squared error {Format.Number(FinalLoss, 3)} after {Steps} steps";
}
