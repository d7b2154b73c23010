using System.CommandLine;
using ScottPlot;
using Spectre.Console;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Models;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// SEEDS §2: one sigmoid neuron, two data points. Guessing (w, b) reaches a low loss only by luck; a grid search
/// costs thousands of evaluations; gradient descent with autodiff gradients walks down the error surface.
/// </summary>
internal static class SigmoidNeuronDemo
{
    public const string Name = "sigmoid-neuron";

    /// <summary>The hand-picked guesses, in order.</summary>
    private static readonly (double W, double B)[] s_guesses =
        [(0.50, 0.00), (-0.10, 0.00), (0.94, -0.94), (1.42, -1.73), (1.65, -2.08), (1.78, -2.27)];

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "One sigmoid neuron on two points: guess work, grid search, then gradient descent from (-2, 2) on the error surface.");
        var common = new CommonOptions(command);
        var epochs = command.AddOption("--epochs", "Full-batch epochs of gradient descent.", 1000, 1);
        var learningRate = command.AddOption("--learning-rate", "Step size η.", 1.0, 0.0);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(epochs), parse.GetValue(learningRate)));
        });
        return command;
    }

    public static SigmoidNeuronResult Run(RunContext context, int epochs = 1000, double learningRate = 1.0)
    {
        context.Heading("One sigmoid neuron", "f(x) = σ(wx + b) on (0.5, 0.2) and (2.5, 0.9); L(w, b) = Σ ½(f(x) − y)²");

        var guesses = s_guesses.Select(g => new LossAt(g.W, g.B, SigmoidNeuron.Loss(g.W, g.B).ToScalar())).ToArray();
        var guessTable = new Table().Title("Guess work").AddColumns("w", "b", "L(w, b)");
        foreach (var guess in guesses)
        {
            guessTable.AddRow(Format.Fixed(guess.W, 2), Format.Fixed(guess.B, 2), Format.Number(guess.Loss, 5));
        }
        context.Terminal.Write(guessTable);

        var surface = Surfaces.SigmoidNeuronError;
        var grid = surface.Sample(101);
        var lowest = grid.Lowest();
        var gridBest = new LossAt(lowest.X, lowest.Y, lowest.Value);
        context.Say($"Brute force: the best of {grid.Count} grid points is L = {Format.Number(gridBest.Loss, 4)} at (w, b) = ({Format.Fixed(gridBest.W, 2)}, {Format.Fixed(gridBest.B, 2)}).");

        var (path, losses) = Descend(epochs, learningRate);
        var table = new Table().Title($"Gradient descent from (−2, 2), η = {Format.Number(learningRate)}").AddColumns("epoch", "w", "b", "L(w, b)");
        for (int epoch = 0; epoch <= epochs; epoch = epoch == 0 ? 1 : epoch * 10)
        {
            table.AddRow(Format.Integer(epoch), Format.Fixed(path[epoch].X, 4), Format.Fixed(path[epoch].Y, 4), Format.Number(losses[epoch], 4));
        }
        if (epochs != (int)Math.Pow(10, Math.Floor(Math.Log10(epochs))))
        {
            table.AddRow(Format.Integer(epochs), Format.Fixed(path[epochs].X, 4), Format.Fixed(path[epochs].Y, 4), Format.Number(losses[epochs], 4));
        }
        context.Terminal.Write(table);

        var map = Chart.Create("Gradient descent on the sigmoid neuron's error surface", "w", "b");
        var heatmap = SurfaceMap.Add(map, grid, surface.MinimumValue);
        SurfaceMap.AddColorBar(map, heatmap, "L(w, b)");
        map.Line($"GD path, η = {Format.Number(learningRate)}", [.. path.Select(p => p.X)], [.. path.Select(p => p.Y)], Colors.OrangeRed, 2.5f);
        map.Dots("start (−2, 2)", [path[0].X], [path[0].Y], Colors.White, 10, MarkerShape.OpenCircle);
        map.Dots("guesses by hand", [.. s_guesses.Select(g => g.W)], [.. s_guesses.Select(g => g.B)], Colors.White, 8, MarkerShape.FilledDiamond);
        map.ShowLegend(Alignment.LowerLeft);
        string contours = context.Save(map, "sigmoid-neuron-contours", 620, 540);

        var lossChart = Chart.Create("Sigmoid neuron: loss during gradient descent", "epoch", "L(w, b)");
        lossChart.LineOnLogY("L(w, b)", Chart.Steps(losses.Count), losses, Chart.Pick(0));
        LogAxis.Apply(lossChart, lossChart.Axes.Left);
        string curve = context.Save(lossChart, "sigmoid-neuron-loss");
        context.Pictures([contours, curve]);

        return new SigmoidNeuronResult(path[^1].X, path[^1].Y, losses[^1], epochs, learningRate, guesses, gridBest, grid.Count, [contours, curve]);
    }

    /// <summary>Full-batch gradient descent; returns the (w, b) after each epoch (index 0 = the start) and the loss there.</summary>
    private static (List<(double X, double Y)> Path, List<double> Losses) Descend(int epochs, double learningRate)
    {
        var w = Tensor.FromArray([-2.0], 1).RequireGrad();
        var b = Tensor.FromArray([2.0], 1).RequireGrad();
        var optimizer = new GradientDescent<double>([w, b], new GradientDescentOptions { LearningRate = learningRate });
        var path = new List<(double X, double Y)>(epochs + 1);
        var losses = new List<double>(epochs + 1);
        for (int epoch = 0; epoch <= epochs; epoch++)
        {
            optimizer.ZeroGrad();
            var loss = SigmoidNeuron.Loss(w, b).Sum();
            path.Add((w.ToScalar(), b.ToScalar()));
            losses.Add(loss.ToScalar());
            if (epoch == epochs)
            {
                break;
            }
            loss.Backward();
            optimizer.Step();
        }
        return (path, losses);
    }
}

/// <summary>The loss at one (w, b).</summary>
internal sealed record LossAt(double W, double B, double Loss);

internal sealed record SigmoidNeuronResult(
    double W, double B, double Loss, int Epochs, double LearningRate, IReadOnlyList<LossAt> Guesses, LossAt GridSearch, int GridEvaluations,
    IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() => $"after {Format.Count(Epochs, "epoch")}: w = {Format.Fixed(W, 3)}, b = {Format.Fixed(B, 3)}, L = {Format.Number(Loss, 3)}";
}
