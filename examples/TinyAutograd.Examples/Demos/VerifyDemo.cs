using System.CommandLine;
using ScottPlot;
using TinyAutograd.Checks;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Models;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// Checking a derivation by hand: the sigmoid neuron's gradient derived by hand is compared with autodiff and with
/// finite differences, once as derived and once with the classic slip (the factor x missing from ∂L/∂w).
/// </summary>
internal static class VerifyDemo
{
    public const string Name = "verify";

    /// <summary>Where to check: the starting point, then the hand-picked guesses.</summary>
    private static readonly (double W, double B)[] s_points =
        [(-2, 2), (0.50, 0.00), (-0.10, 0.00), (0.94, -0.94), (1.42, -1.73), (1.65, -2.08), (1.78, -2.27)];

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "The derivation check on the sigmoid neuron's hand-derived gradient: right, then with the factor x missing from ∂L/∂w.");
        var common = new CommonOptions(command);
        var points = command.AddOption("--points", $"How many (w, b) points to check at (1 to {s_points.Length}: the starting point, then the hand-picked guesses).", s_points.Length, 1, s_points.Length);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(points)));
        });
        return command;
    }

    public static VerifyResult Run(RunContext context, int points = 7)
    {
        context.Heading("Checking a hand derivation", "∂L/∂w = Σ (f − y)·f·(1 − f)·x and ∂L/∂b = Σ (f − y)·f·(1 − f), against autodiff and finite differences");
        var at = s_points.Take(Math.Min(points, s_points.Length))
            .Select(p => new[] { Tensor.FromArray([p.W], 1), Tensor.FromArray([p.B], 1) })
            .ToArray();

        var right = CheckSummary.From("as derived", Check(includeInputFactor: true, at));
        var wrong = CheckSummary.From("factor x missing from ∂L/∂w", Check(includeInputFactor: false, at));
        context.Terminal.Write(right.ToPanel());
        context.Terminal.Write(wrong.ToPanel());

        string[] pictures = [DrawSlopes(context)];
        context.Pictures(pictures);
        return new VerifyResult(at.Length, right, wrong, pictures);
    }

    /// <summary>∂L/∂w along the line b = 0 by autodiff, by the derivation, and by the derivation without the factor x.</summary>
    private static string DrawSlopes(RunContext context)
    {
        var ws = Enumerable.Range(0, 161).Select(i => -4 + 0.05 * i).ToArray();
        var b = Tensor.FromArray([0.0], 1);
        double Hand(double w, bool includeInputFactor) => SigmoidNeuron.HandGradient(Tensor.FromArray([w], 1), b, includeInputFactor)[0].ToScalar();
        double Auto(double w) => AutoDiff.Gradient(v => SigmoidNeuron.Loss(v, b).Sum(), Tensor.FromArray([w], 1)).ToScalar();
        var chart = Chart.Create("∂L/∂w along b = 0: autodiff, the derivation, and the slip", "w", "∂L/∂w");
        chart.Line("autodiff", ws, [.. ws.Select(Auto)], Chart.Pick(0), 4);
        chart.Line("hand, as derived", ws, [.. ws.Select(w => Hand(w, true))], Chart.Pick(2), 1.8f, LinePattern.Dashed);
        chart.Line("hand, factor x missing", ws, [.. ws.Select(w => Hand(w, false))], Chart.Pick(3), 1.8f);
        chart.ShowLegend(Alignment.UpperRight);
        return context.Save(chart, "verify-gradient");
    }

    private static CheckReport Check(bool includeInputFactor, Tensor<double>[][] points) =>
        new MultiInputDerivation<double>(
                inputs => SigmoidNeuron.Loss(inputs[0], inputs[1]).Sum(),
                inputs => SigmoidNeuron.HandGradient(inputs[0], inputs[1], includeInputFactor),
                "w", "b")
            .CheckAt(points);
}

internal sealed record VerifyResult(int Points, CheckSummary Correct, CheckSummary Wrong, IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() =>
        $"as derived: {(Correct.Passed ? "passed" : "FAILED")} ({Correct.Compared} values); without x: {(Wrong.Passed ? "passed" : "FAILED")} ({Wrong.Failed} of {Wrong.Compared} values off)";
}
