using System.CommandLine;
using Spectre.Console;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Models;
using TinyAutograd.Examples.Plotting;
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
            pictures.AddRange(Draw(context, surface, traces.Select(t => (t.contender.Name, t.trace)).ToArray()));
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

    private static string[] Draw(RunContext context, Surface surface, (string Name, Trace Trace)[] traces)
    {
        var map = new Plot($"Optimizer paths: {surface.Title}", surface.XLabel, surface.YLabel) { Width = 560, Height = 560 * (surface.YRange.High - surface.YRange.Low) / (surface.XRange.High - surface.XRange.Low) }
            .Contours("contours of L (dark = low)", surface.Sample(81));
        var curves = new Plot($"Loss per step: {surface.Title}", "step", "L − L*") { Y = { Logarithmic = true, Minimum = 1e-12 } };
        for (int i = 0; i < traces.Length; i++)
        {
            var (name, trace) = traces[i];
            map.Line(name, trace.Path, Palette.Pick(i), 1.6, markEnds: true);
            curves.Line(name, trace.Losses.Select((loss, step) => ((double)step, Math.Max(loss - surface.MinimumValue, 1e-300))).ToArray(), Palette.Pick(i), 1.8);
        }
        return
        [
            map.Save(context.PicturePath($"optimizers-{surface.Name}.svg")),
            curves.Save(context.PicturePath($"optimizers-{surface.Name}-loss.svg")),
        ];
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
