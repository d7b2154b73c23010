using System.CommandLine;
using ScottPlot;
using Spectre.Console;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// SEEDS §7: J(θ) = log Σᵢ exp(aᵢᵀθ + bᵢ) is convex with a minimum, but ∇J = 0 has no closed-form solution, so it is
/// minimized iteratively. Gradient descent and Newton-CG both drive ‖∇J‖ to 0; the library's gradient and
/// Hessian-vector product are compared with the formulas ∇J = Aᵀp and ∇²J = Aᵀ(diag(p) − ppᵀ)A, p = softmax(Aθ + b).
/// </summary>
internal static class LogSumExpDemo
{
    public const string Name = "logsumexp";

    private const double GradientTolerance = 1e-10;

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "Minimize log Σ exp(aᵢᵀθ + bᵢ) by gradient descent and by Newton-CG; watch ‖∇J‖ go to 0.");
        var common = new CommonOptions(command);
        var terms = command.AddOption("--terms", "Number of terms m (rows of A).", 40, 2);
        var dimensions = command.AddOption("--dimensions", "Number of parameters n (columns of A).", 8, 1);
        var iterations = command.AddOption("--iterations", "The most gradient-descent steps.", 2000, 1);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(terms), parse.GetValue(dimensions), parse.GetValue(iterations)));
        });
        return command;
    }

    public static LogSumExpResult Run(RunContext context, int terms = 40, int dimensions = 8, int iterations = 2000)
    {
        context.Heading("Minimizing log-sum-exp", $"J(θ) = log Σᵢ exp(aᵢᵀθ + bᵢ) with {terms} random terms in {dimensions} dimensions");
        var random = new RandomSource(context.Seed);
        // Centring the rows puts 0 inside their convex hull, which makes J bounded below, so a minimum exists.
        var rows = random.Normal<double>([terms, dimensions]);
        var a = rows - rows.Mean(0, keepDims: true);
        var b = random.Normal<double>([terms]);
        Tensor<double> J(Tensor<double> theta) => (a.MatMul(theta) + b).LogSumExp(0);
        var start = random.Normal<double>([dimensions], 0, 2);

        // Σ pᵢaᵢaᵢᵀ ⪯ maxᵢ‖aᵢ‖² I bounds the Hessian, so η = 1 / maxᵢ‖aᵢ‖² is a safe constant step.
        double learningRate = 1 / a.Square().Sum(1).Max().ToScalar();
        var gd = Minimize(J, start, new GradientDescent<double>([start.Clone().RequireGrad()], new GradientDescentOptions { LearningRate = learningRate }), iterations);
        var newton = Minimize(J, start, new NewtonCG<double>([start.Clone().RequireGrad()]), 50);
        double best = Math.Min(gd.Values.Min(), newton.Values.Min());

        var (gradientError, hessianError) = CompareWithFormulas(J, a, b, start, random);
        var table = new Table().AddColumns("method", "steps", "J(θ) − J*", "‖∇J‖", "gradient evaluations");
        foreach (var run in new[] { gd, newton })
        {
            table.AddRow(Markup.Escape(run.Method), Format.Integer(run.GradientNorms.Count - 1), Format.Number(run.Values[^1] - best, 3), Format.Number(run.GradientNorms[^1], 3),
                Format.Integer(run.Evaluations));
        }
        context.Terminal.Write(table);
        context.Say($"At the start θ₀: autodiff ∇J vs Aᵀp differ by at most {Format.Number(gradientError, 2)}; the Hessian-vector product vs Aᵀ(diag(p) − ppᵀ)Av by at most {Format.Number(hessianError, 2)}.");

        // Steps on a logarithmic axis (as step + 1), so that Newton-CG's few steps and GD's many are both visible.
        var gradientChart = Chart.Create("log-sum-exp: the gradient's norm goes to 0", "step + 1", "‖∇J(θ)‖");
        var valueChart = Chart.Create("log-sum-exp: distance to the minimum", "step + 1", "J(θ) − J*");
        foreach (var (run, index) in new[] { (gd, 0), (newton, 3) })
        {
            gradientChart.LineOnLogY(run.Method, LogAxis.Of(Chart.Steps(run.GradientNorms.Count, 1)), run.GradientNorms, Chart.Pick(index));
            valueChart.LineOnLogY(run.Method, LogAxis.Of(Chart.Steps(run.Values.Count, 1)), [.. run.Values.Select(v => v - best)], Chart.Pick(index), floor: 1e-15);
        }
        foreach (var chart in new[] { gradientChart, valueChart })
        {
            LogAxis.Apply(chart, chart.Axes.Bottom);
            LogAxis.Apply(chart, chart.Axes.Left);
            chart.ShowLegend(Alignment.UpperRight);
        }
        string[] pictures =
        [
            context.Save(gradientChart, "logsumexp-gradient-norm"),
            context.Save(valueChart, "logsumexp-value"),
        ];
        context.Pictures(pictures);
        return new LogSumExpResult(terms, dimensions, learningRate, ToSummary(gd, best), ToSummary(newton, best), gradientError, hessianError, pictures);
    }

    private sealed record Descent(string Method, List<double> Values, List<double> GradientNorms, int Evaluations);

    /// <summary>Steps <paramref name="optimizer"/> until ‖∇J‖ &lt; tolerance or <paramref name="maxSteps"/>, recording J and ‖∇J‖ at every iterate.</summary>
    private static Descent Minimize(Func<Tensor<double>, Tensor<double>> objective, Tensor<double> start, Optimizer<double> optimizer, int maxSteps)
    {
        var theta = optimizer.Parameters[0];
        var values = new List<double>();
        var norms = new List<double>();
        int evaluations = 0;
        for (int step = 0; ; step++)
        {
            var (value, gradient) = AutoDiff.ValueAndGradient(objective, theta.Detach());
            values.Add(value.ToScalar());
            norms.Add(Math.Sqrt(gradient.Square().Sum().ToScalar()));
            if (norms[^1] < GradientTolerance || step == maxSteps)
            {
                break;
            }
            optimizer.Step(() =>
            {
                evaluations++;
                optimizer.ZeroGrad();
                var loss = objective(theta);
                loss.Backward();
                return loss;
            });
        }
        string method = optimizer is NewtonCG<double> ? "Newton-CG" : $"GD (η = 1/maxᵢ‖aᵢ‖² = {Format.Number(optimizer.LearningRate, 3)})";
        return new Descent(method, values, norms, evaluations);
    }

    /// <summary>The largest differences between the library's derivatives and the closed forms of SEEDS §7, at θ.</summary>
    private static (double Gradient, double Hessian) CompareWithFormulas(Func<Tensor<double>, Tensor<double>> objective, Tensor<double> a, Tensor<double> b, Tensor<double> theta, RandomSource random)
    {
        var vector = random.Normal<double>([theta.Length]);
        var p = (a.MatMul(theta) + b).Softmax(0);
        var gradientFormula = a.Transpose(0, 1).MatMul(p);
        var av = a.MatMul(vector);
        var hessianFormula = a.Transpose(0, 1).MatMul(p * av - p * (p * av).Sum());
        var gradient = AutoDiff.Gradient(objective, theta);
        var product = AutoDiff.HessianVectorProduct(objective, theta, vector);
        return ((gradient - gradientFormula).Abs().Max().ToScalar(), (product - hessianFormula).Abs().Max().ToScalar());
    }

    private static MethodSummary ToSummary(Descent run, double best) =>
        new(run.Method, run.GradientNorms.Count - 1, run.Values[^1], run.Values[^1] - best, run.GradientNorms[^1], run.Evaluations);
}

internal sealed record MethodSummary(string Method, int Iterations, double FinalValue, double FinalGap, double FinalGradientNorm, int Evaluations);

internal sealed record LogSumExpResult(
    int Terms, int Dimensions, double LearningRate, MethodSummary GradientDescent, MethodSummary NewtonCg, double GradientFormulaError, double HessianFormulaError,
    IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() =>
        $"‖∇J‖: GD {Format.Number(GradientDescent.FinalGradientNorm, 2)} after {GradientDescent.Iterations} steps, Newton-CG {Format.Number(NewtonCg.FinalGradientNorm, 2)} after {NewtonCg.Iterations}";
}
