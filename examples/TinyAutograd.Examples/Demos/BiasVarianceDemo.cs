using System.CommandLine;
using ScottPlot;
using Spectre.Console;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// SEEDS §8: learn f(x) = sin(πx) on [−1, 1] from data sets of just two points, with H₀: h(x) = b and
/// H₁: h(x) = ax + b. Thousands of data sets are fitted at once by the library's optimizer (their losses summed into
/// one problem), and bias, variance and E_out are measured. The simpler model generalizes better.
/// </summary>
internal static class BiasVarianceDemo
{
    public const string Name = "bias-variance";

    private const int PointsPerDataSet = 2;
    private const int EvaluationPoints = 201;
    private const int SampleFitsDrawn = 25;

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "Bias and variance of h(x) = b and h(x) = ax + b fitted to two-point samples of sin(πx).");
        var common = new CommonOptions(command);
        var dataSets = command.AddOption("--datasets", "Number of two-point data sets.", 10000, 2);
        var steps = command.AddOption("--steps", "Optimizer steps (all data sets are fitted together).", 1500, 1);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(dataSets), parse.GetValue(steps)));
        });
        return command;
    }

    public static BiasVarianceResult Run(RunContext context, int dataSets = 10000, int steps = 1500)
    {
        context.Heading("Bias and variance", $"f(x) = sin(πx); {dataSets} data sets of {PointsPerDataSet} points; H₀: h(x) = b, H₁: h(x) = ax + b");
        var random = new RandomSource(context.Seed);
        var x = random.Uniform<double>([dataSets, PointsPerDataSet], -1, 1);
        var y = Target(x);
        var grid = Tensor.Arange<double>(0, EvaluationPoints) * (2.0 / (EvaluationPoints - 1)) - 1.0;

        Fit? h0 = null, h1 = null;
        context.WithProgress("fitting", 2, advance =>
        {
            h0 = FitConstant(x, y, grid, steps);
            advance("H₀");
            h1 = FitLine(x, y, grid, steps);
            advance("H₁");
        });
        var target = Target(grid);
        var summaries = new[] { Summarize("H0", h0!, target), Summarize("H1", h1!, target) };

        var table = new Table().AddColumns("hypothesis set", "bias", "variance", "E_out = bias + var", "final ‖∇L‖ / √D");
        foreach (var (summary, fit) in summaries.Zip([h0!, h1!]))
        {
            table.AddRow(summary.Name == "H0" ? "H₀: h(x) = b" : "H₁: h(x) = ax + b", Format.Fixed(summary.Bias, 3), Format.Fixed(summary.Variance, 3), Format.Fixed(summary.Eout, 3),
                Format.Number(fit.FinalGradientNorm / Math.Sqrt(dataSets), 2));
        }
        context.Terminal.Write(table);
        context.Say(summaries[0].Eout < summaries[1].Eout
            ? "The constant wins: its larger bias is more than paid back by its much smaller variance."
            : "This time the line wins: with these samples its variance stayed small.");

        string[] pictures =
        [
            Draw(context, "H₀: h(x) = b", "bias-variance-h0", h0!, grid, target),
            Draw(context, "H₁: h(x) = ax + b", "bias-variance-h1", h1!, grid, target),
        ];
        context.Pictures(pictures);
        return new BiasVarianceResult(dataSets, steps, ToFigures(summaries[0]), ToFigures(summaries[1]), pictures);
    }

    /// <summary>f(x) = sin(πx), elementwise (the target is data, not something to differentiate).</summary>
    private static Tensor<double> Target(Tensor<double> x) =>
        Tensor.FromArray(x.ToArray().Select(v => Math.Sin(Math.PI * v)).ToArray(), x.Shape.ToArray());

    /// <summary>The fitted hypotheses of every data set, evaluated on the grid: [data sets, grid points].</summary>
    private sealed record Fit(Tensor<double> Predictions, double FinalGradientNorm);

    private sealed record Summary(string Name, double Bias, double Variance, double Eout, Tensor<double> Mean, Tensor<double> Std);

    /// <summary>H₀: one constant b per data set; the summed loss Σ_D Σᵢ (b_D − yᵢ)² fits all of them at once.</summary>
    private static Fit FitConstant(Tensor<double> x, Tensor<double> y, Tensor<double> grid, int steps)
    {
        int count = x.Shape[0];
        var b = Tensor.Zeros<double>(count, 1).RequireGrad();
        double gradientNorm = Minimize([b], () => (b - y).Square().Sum(), steps);
        return new Fit(b.Detach() + Tensor.Zeros<double>(1, grid.Length), gradientNorm);
    }

    /// <summary>
    /// H₁: a line per data set, written h(x) = a(x − x̄) + c with x̄ the data set's mean input (the same lines as
    /// ax + b, with b = c − ax̄). Centring makes slope and intercept independent, which removes most of the
    /// ill-conditioning (SEEDS §9) of two points that lie close together.
    /// </summary>
    private static Fit FitLine(Tensor<double> x, Tensor<double> y, Tensor<double> grid, int steps)
    {
        int count = x.Shape[0];
        var centre = x.Mean(1, keepDims: true);
        var a = Tensor.Zeros<double>(count, 1).RequireGrad();
        var c = Tensor.Zeros<double>(count, 1).RequireGrad();
        double gradientNorm = Minimize([a, c], () => (a * (x - centre) + c - y).Square().Sum(), steps);
        using var noRecording = GradMode.Disable();
        return new Fit(a * (grid.Reshape(1, -1) - centre) + c, gradientNorm);
    }

    /// <summary>
    /// Adam with a learning rate decaying exponentially from 0.05 to 5·10⁻⁵ (SEEDS §5–6): Adam's per-parameter step
    /// sizes suit thousands of independent little problems of very different curvature, and the decay removes its
    /// final jitter. Returns the final gradient's norm.
    /// </summary>
    private static double Minimize(Tensor<double>[] parameters, Func<Tensor<double>> loss, int steps)
    {
        const double initialRate = 0.05, finalRate = 5e-5;
        var optimizer = new Adam<double>(parameters);
        var scheduler = new LearningRateScheduler(optimizer, new ExponentialDecay(initialRate, decay: Math.Log(initialRate / finalRate) / steps));
        for (int step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            loss().Backward();
            optimizer.Step();
            scheduler.Step();
        }
        var gradients = AutoDiff.Gradients(loss(), parameters);
        return Math.Sqrt(gradients.Sum(g => g.Square().Sum().ToScalar()));
    }

    /// <summary>ḡ(x) = E_D[g^D(x)], bias = E_x[(ḡ − f)²], variance = E_x E_D[(g^D − ḡ)²] (E_x over the evenly spaced grid).</summary>
    private static Summary Summarize(string name, Fit fit, Tensor<double> target)
    {
        using var noRecording = GradMode.Disable();
        var mean = fit.Predictions.Mean(0);
        var varianceAtX = (fit.Predictions - mean).Square().Mean(0);
        double bias = (mean - target).Square().Mean().ToScalar();
        double variance = varianceAtX.Mean().ToScalar();
        return new Summary(name, bias, variance, bias + variance, mean, varianceAtX.Sqrt());
    }

    private static string Draw(RunContext context, string title, string fileName, Fit fit, Tensor<double> grid, Tensor<double> target)
    {
        var summary = Summarize(title, fit, target);
        var xs = grid.ToArray();
        var chart = Chart.Create($"{title}: bias {Format.Fixed(summary.Bias, 2)}, variance {Format.Fixed(summary.Variance, 2)}", "x", "y");
        var mean = summary.Mean.ToArray();
        var std = summary.Std.ToArray();
        var band = chart.Add.FillY(xs, [.. mean.Zip(std, (m, s) => m - s)], [.. mean.Zip(std, (m, s) => m + s)]);
        band.FillColor = Chart.Pick(0).WithAlpha(0.25);
        band.LineWidth = 0;
        band.LegendText = "ḡ(x) ± √var(x)";
        int drawn = Math.Min(SampleFitsDrawn, fit.Predictions.Shape[0]);
        for (int d = 0; d < drawn; d++)
        {
            chart.Line(d == 0 ? "a few fits gᴰ(x)" : null, xs, fit.Predictions.Slice(0, d, 1).ToArray(), Colors.Gray, 0.7f);
        }
        chart.Line("target sin(πx)", xs, target.ToArray(), Colors.Black, 2.2f);
        chart.Line("average fit ḡ(x)", xs, mean, Chart.Pick(3), 2.2f);
        chart.Axes.SetLimits(xs[0], xs[^1], -3, 3);
        chart.LegendOutside();
        return context.Save(chart, fileName, 760, 420);
    }

    private static BiasVarianceFigures ToFigures(Summary summary) => new(summary.Bias, summary.Variance, summary.Eout);
}

/// <summary>Bias, variance and E_out of one hypothesis set.</summary>
internal sealed record BiasVarianceFigures(double Bias, double Variance, double Eout);

internal sealed record BiasVarianceResult(int DataSets, int Steps,
    [property: System.Text.Json.Serialization.JsonPropertyName("H0")] BiasVarianceFigures H0,
    [property: System.Text.Json.Serialization.JsonPropertyName("H1")] BiasVarianceFigures H1,
    IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() =>
        $"H₀ bias {Format.Fixed(H0.Bias, 2)} var {Format.Fixed(H0.Variance, 2)} E_out {Format.Fixed(H0.Eout, 2)}; H₁ bias {Format.Fixed(H1.Bias, 2)} var {Format.Fixed(H1.Variance, 2)} E_out {Format.Fixed(H1.Eout, 2)}";
}
