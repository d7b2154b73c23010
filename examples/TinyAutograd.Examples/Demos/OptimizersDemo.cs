using System.CommandLine;
using ScottPlot;
using Spectre.Console;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Models;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// SEEDS §4, §6 and §9: gradient descent, momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam and Newton-CG race from
/// the same start on three surfaces: the sigmoid neuron's plateau, an ill-conditioned valley, and a saddle.
/// </summary>
internal static class OptimizersDemo
{
    public const string Name = "optimizers";

    /// <summary>Learning rates per method, chosen by hand for each surface (a fair race needs each method near its best).</summary>
    private sealed record Rates(double Gd, double Momentum, double Nesterov, double Gamma, double AdaGrad, double RmsProp, double AdaDelta, double Adam);

    private static readonly Dictionary<string, Rates> s_rates = new()
    {
        [Surfaces.SigmoidNeuronError.Name] = new(Gd: 1, Momentum: 1, Nesterov: 1, Gamma: 0.9, AdaGrad: 0.5, RmsProp: 0.02, AdaDelta: 1, Adam: 0.1),
        [Surfaces.Valley.Name] = new(Gd: 0.075, Momentum: 0.075, Nesterov: 0.05, Gamma: 0.8, AdaGrad: 1, RmsProp: 0.02, AdaDelta: 1, Adam: 0.2),
        [Surfaces.Saddle.Name] = new(Gd: 0.5, Momentum: 0.5, Nesterov: 0.5, Gamma: 0.8, AdaGrad: 0.5, RmsProp: 0.02, AdaDelta: 1, Adam: 0.1),
    };

    /// <summary>One optimizer with its settings, made fresh for each race.</summary>
    private sealed record Contender(string Name, string Settings, Func<Tensor<double>, Optimizer<double>> Create);

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "Eight optimizers race on three surfaces: the sigmoid neuron's error surface, an ill-conditioned valley and a saddle.");
        var common = new CommonOptions(command);
        var iterations = command.AddOption("--iterations", "The most steps each optimizer may take.", 500, 1);
        var tolerance = command.AddOption("--tolerance", "A race is won when L − L* falls below this.", 1e-6, 0.0);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(iterations), parse.GetValue(tolerance)));
        });
        return command;
    }

    public static OptimizersResult Run(RunContext context, int maxIterations = 500, double tolerance = 1e-6)
    {
        context.Heading("The optimizers race", $"Same start, up to {maxIterations} steps; the count of steps until L − L* < {Format.Number(tolerance)}");
        var results = new List<RaceResult>();
        var pictures = new List<string>();
        foreach (var surface in Surfaces.All)
        {
            var traces = Contenders(s_rates[surface.Name])
                .Select(contender => (contender, trace: Race(surface, contender, maxIterations, tolerance)))
                .ToArray();
            var table = new Table().Title(Markup.Escape(surface.Title)).AddColumns("optimizer", "settings", "steps to tolerance", "final L − L*");
            foreach (var (contender, trace) in traces)
            {
                table.AddRow(contender.Name, Markup.Escape(contender.Settings),
                    trace.Iterations is { } n ? Format.Integer(n) : $"[red]not within {maxIterations}[/]", Format.Number(trace.Losses[^1] - surface.MinimumValue, 3));
                results.Add(new RaceResult(surface.Name, contender.Name, trace.Iterations, trace.Losses[^1] - surface.MinimumValue, contender.Settings));
            }
            context.Terminal.Write(table);
            var named = traces.Select(t => (t.contender.Name, t.trace)).ToArray();
            pictures.Add(DrawPaths(context, surface, named, maxIterations));
            pictures.Add(DrawLosses(context, surface, named));
        }
        context.Pictures(pictures);
        return new OptimizersResult(maxIterations, tolerance, results, pictures);
    }

    /// <summary>The eight methods with this surface's rates; the settings shown are read back from the options.</summary>
    private static Contender[] Contenders(Rates rates)
    {
        var momentum = new MomentumOptions { LearningRate = rates.Momentum, Momentum = rates.Gamma };
        var nesterov = new NesterovOptions { LearningRate = rates.Nesterov, Momentum = rates.Gamma };
        var rmsProp = new RmsPropOptions { LearningRate = rates.RmsProp };
        var adaDelta = new AdaDeltaOptions { LearningRate = rates.AdaDelta };
        var adam = new AdamOptions { LearningRate = rates.Adam };
        return
        [
            new("GD", $"η = {Format.Number(rates.Gd)}",
                p => new GradientDescent<double>([p], new GradientDescentOptions { LearningRate = rates.Gd })),
            new("Momentum", $"η = {Format.Number(momentum.LearningRate)}, γ = {Format.Number(momentum.Momentum)}",
                p => new Momentum<double>([p], momentum)),
            new("Nesterov", $"η = {Format.Number(nesterov.LearningRate)}, γ = {Format.Number(nesterov.Momentum)}",
                p => new Nesterov<double>([p], nesterov)),
            new("AdaGrad", $"η = {Format.Number(rates.AdaGrad)}",
                p => new AdaGrad<double>([p], new AdaGradOptions { LearningRate = rates.AdaGrad })),
            new("RMSProp", $"η = {Format.Number(rmsProp.LearningRate)}, ρ = {Format.Number(rmsProp.Rho)}",
                p => new RmsProp<double>([p], rmsProp)),
            new("AdaDelta", $"η = {Format.Number(adaDelta.LearningRate)}, ρ = {Format.Number(adaDelta.Rho)}",
                p => new AdaDelta<double>([p], adaDelta)),
            new("Adam", $"η = {Format.Number(adam.LearningRate)}, β = ({Format.Number(adam.Beta1)}, {Format.Number(adam.Beta2)})",
                p => new Adam<double>([p], adam)),
            new("Newton-CG", "exact Hessian-vector products, line search",
                p => new NewtonCG<double>([p])),
        ];
    }

    /// <summary>The positions and losses of one optimizer from the start (index 0), and the steps it needed.</summary>
    private sealed record Trace(List<(double X, double Y)> Path, List<double> Losses, int? Iterations);

    private static Trace Race(Surface surface, Contender contender, int maxIterations, double tolerance)
    {
        var theta = Tensor.FromArray([surface.Start.X, surface.Start.Y], 2).RequireGrad();
        var optimizer = contender.Create(theta);
        var path = new List<(double X, double Y)>();
        var losses = new List<double>();
        int? reached = null;
        for (int step = 0; ; step++)
        {
            double x = theta.Data[0], y = theta.Data[1], loss = surface.ValueAt(x, y);
            path.Add((x, y));
            losses.Add(loss);
            if (reached is null && loss - surface.MinimumValue < tolerance)
            {
                reached = step;
            }
            if (step == maxIterations || !double.IsFinite(loss))
            {
                break;
            }
            optimizer.Step(() =>
            {
                optimizer.ZeroGrad();
                var value = surface.Loss(theta);
                value.Backward();
                return value;
            });
        }
        return new Trace(path, losses, reached);
    }

    /// <summary>Line patterns that cycle with the colours, so that curves lying on top of each other stay apart.</summary>
    private static readonly LinePattern[] s_patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    /// <summary>
    /// Small multiples: one map of the surface per optimizer, with that optimizer's path alone on it (paths that run
    /// along the same valley floor would hide each other on one map).
    /// </summary>
    private static string DrawPaths(RunContext context, Surface surface, (string Name, Trace Trace)[] traces, int maxIterations)
    {
        const int Columns = 4, PanelWidth = 340;
        var grid = surface.Sample(81);
        double aspect = (surface.YRange.High - surface.YRange.Low) / (surface.XRange.High - surface.XRange.Low);
        int panelHeight = (int)Math.Round((PanelWidth - 70) * aspect) + 80;
        int rows = (traces.Length + Columns - 1) / Columns;
        var panels = new List<Plot>();
        for (int i = 0; i < traces.Length; i++)
        {
            var (name, trace) = traces[i];
            string steps = trace.Iterations is { } n ? Format.Count(n, "step") : $"not within {maxIterations} steps";
            var panel = Chart.Create($"{name}: {steps}", surface.XLabel, surface.YLabel);
            SurfaceMap.Add(panel, grid, surface.MinimumValue);
            var path = trace.Path.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
            var line = panel.Line(null, [.. path.Select(p => p.X)], [.. path.Select(p => p.Y)], Colors.OrangeRed, 1.8f);
            line.MarkerSize = 3;
            panel.Dots(null, [path[0].X], [path[0].Y], Colors.White, 9, MarkerShape.OpenCircle);
            panel.Dots(null, [path[^1].X], [path[^1].Y], Colors.White, 9, MarkerShape.FilledCircle);
            panels.Add(panel);
        }
        var multiplot = new Multiplot(panels[0]) { Layout = new ScottPlot.MultiplotLayouts.Grid(rows, Columns) };
        foreach (var panel in panels.Skip(1))
        {
            multiplot.AddPlot(panel);
        }
        return context.Save(multiplot, $"optimizers-{surface.Name}", Columns * PanelWidth, rows * panelHeight);
    }

    /// <summary>The loss above the minimum per step, on a logarithmic axis (values below 10⁻¹² are drawn at 10⁻¹²).</summary>
    private static string DrawLosses(RunContext context, Surface surface, (string Name, Trace Trace)[] traces)
    {
        var chart = Chart.Create($"Loss per step: {surface.Title}", "step", "L − L*");
        for (int i = 0; i < traces.Length; i++)
        {
            var (name, trace) = traces[i];
            chart.LineOnLogY(name, Chart.Steps(trace.Losses.Count), [.. trace.Losses.Select(loss => loss - surface.MinimumValue)], Chart.Pick(i), 1.8f,
                s_patterns[i % s_patterns.Length], floor: 1e-12);
        }
        LogAxis.Apply(chart, chart.Axes.Left);
        chart.LegendOutside();
        return context.Save(chart, $"optimizers-{surface.Name}-loss", 820, 440);
    }
}

/// <summary>One optimizer on one surface: the steps it took to reach the tolerance (null if it did not) and where it ended.</summary>
internal sealed record RaceResult(string Surface, string Optimizer, int? Iterations, double FinalLoss, string Settings);

internal sealed record OptimizersResult(int MaxIterations, double Tolerance, IReadOnlyList<RaceResult> Results, IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() => string.Join("; ", Results.GroupBy(r => r.Surface).Select(group =>
    {
        var winner = group.Where(r => r.Iterations is not null).MinBy(r => r.Iterations);
        return winner is null ? $"{group.Key}: none converged" : $"{group.Key}: {winner.Optimizer} in {winner.Iterations}";
    }));
}
