using System.Runtime.CompilerServices;
using TinyAutograd.Checks;
using TinyAutograd.Tests.Transforms;

namespace TinyAutograd.Tests.Checks;

/// <summary>
/// The lecture's hand derivation of the sigmoid neuron's gradient (SEEDS.md §2), verified with a derivation check:
/// ∂L/∂w = Σ (f(x) − y) f(x)(1 − f(x)) x and ∂L/∂b = Σ (f(x) − y) f(x)(1 − f(x)).
/// </summary>
public class SigmoidNeuronDerivationTests
{
    private static readonly Tensor<double> X = Tensor.FromArray(SigmoidNeuron.X, 2);
    private static readonly Tensor<double> Y = Tensor.FromArray(SigmoidNeuron.Y, 2);
    private static int s_wrongLine;

    private static Tensor<double> Loss(Tensor<double>[] p) => SigmoidNeuron.Loss(p[0], p[1]);

    private static Tensor<double>[] HandGradient(Tensor<double>[] p)
    {
        var f = (X * p[0] + p[1]).Sigmoid();
        var common = (f - Y) * f * (1.0 - f);
        return [(common * X).Sum(), common.Sum()];
    }

    private static Tensor<double>[] GradientMissingX(Tensor<double>[] p)
    {
        var f = (X * p[0] + p[1]).Sigmoid();
        var common = (f - Y) * f * (1.0 - f);
        var dw = common.Sum(); s_wrongLine = Line();
        var db = common.Sum();
        return [dw, db];
    }

    private static int Line([CallerLineNumber] int line = 0) => line;

    private static Tensor<double>[] Point(double w, double b) => [Tensor.Scalar(w), Tensor.Scalar(b)];

    [Fact]
    public void PassesTheLectureGradientAtTheLecturePoints()
    {
        var derivation = new MultiInputDerivation<double>(Loss, HandGradient, "w", "b");
        (double W, double B)[] guesses = [(0.50, 0.00), (-0.10, 0.00), (0.94, -0.94), (1.42, -1.73), (1.65, -2.08), (1.78, -2.27), (-2, 2)];

        var report = derivation.CheckAt(guesses.Select(g => Point(g.W, g.B)));

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(2 * guesses.Length, report.ComparedCount);
        Assert.Contains("DerivationCheck passed", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PassesTheLectureGradientAtSeededRandomPoints()
    {
        var derivation = new MultiInputDerivation<double>(Loss, HandGradient, "w", "b");

        var report = derivation.CheckAtRandomPoints([Shape.Scalar, Shape.Scalar], count: 20, low: -4, high: 4, new CheckOptions { Seed = 7 });

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(40, report.ComparedCount);
    }

    [Fact]
    public void CatchesAMissingFactorXAndNamesTheWComponent()
    {
        var derivation = new MultiInputDerivation<double>(Loss, GradientMissingX, "w", "b");

        var report = derivation.CheckAt(Point(0.5, 0.0));

        Assert.False(report.Passed);
        Assert.Equal(1, report.FailedCount);
        var worst = report.Worst!;
        Assert.Equal("w", worst.Input);
        Assert.Equal("∂f/∂w", worst.Quantity);
        Assert.Empty(worst.Index);
        // Independent values at (w, b) = (0.5, 0): the hand value lacks x, the true one has it.
        double withoutX = 0, withX = 0;
        for (int i = 0; i < 2; i++)
        {
            double f = 1 / (1 + Math.Exp(-0.5 * SigmoidNeuron.X[i]));
            withoutX += (f - SigmoidNeuron.Y[i]) * f * (1 - f);
            withX += (f - SigmoidNeuron.Y[i]) * f * (1 - f) * SigmoidNeuron.X[i];
        }
        Assert.Equal(withoutX, worst.Hand!.Value, 1e-14);
        Assert.Equal(withX, worst.AutoDiff!.Value, 1e-14);
        Assert.Equal(withX, worst.Numeric!.Value, 1e-8);
        Assert.Equal($"hand value was made by 'Sum' at SigmoidNeuronDerivationTests.cs:{s_wrongLine}", worst.Origin);
        string verdict = report.ToString();
        Assert.Contains("DerivationCheck FAILED: 1 of 2", verdict, StringComparison.Ordinal);
        Assert.Contains("worst: ∂f/∂w", verdict, StringComparison.Ordinal);
        Assert.DoesNotContain("∂f/∂b", verdict, StringComparison.Ordinal);
        Assert.Contains("the derivation (or the code computing it) is wrong", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void PassesTheHandHessianAndCatchesTheGaussNewtonApproximation()
    {
        var exact = new MultiInputDerivation<double>(Loss, HandGradient, "w", "b")
        {
            Hessian = p => Tensor.FromArray(SigmoidNeuron.HandHessian(p[0].ToScalar(), p[1].ToScalar())),
        };
        var gaussNewton = new MultiInputDerivation<double>(Loss, HandGradient, "w", "b") { Hessian = p => GaussNewton(p[0].ToScalar(), p[1].ToScalar()) };
        var points = new[] { Point(-2, 2), Point(0.9, -0.4) };

        var passing = exact.CheckAt(points);
        var failing = gaussNewton.CheckAt(points);

        Assert.True(passing.Passed, passing.ToString());
        Assert.Equal(2 * (2 + 4), passing.ComparedCount);
        Assert.False(failing.Passed);
        Assert.StartsWith("∂²f/∂", failing.Worst!.Quantity, StringComparison.Ordinal);
    }

    [Fact]
    public void PassesTheHandHessianVectorProduct()
    {
        var derivation = new MultiInputDerivation<double>(Loss, HandGradient, "w", "b")
        {
            HessianVectorProduct = (p, v) =>
            {
                var h = SigmoidNeuron.HandHessian(p[0].ToScalar(), p[1].ToScalar());
                double vw = v[0].ToScalar(), vb = v[1].ToScalar();
                return [Tensor.Scalar(h[0, 0] * vw + h[0, 1] * vb), Tensor.Scalar(h[1, 0] * vw + h[1, 1] * vb)];
            },
        };

        var report = derivation.CheckAtRandomPoints([Shape.Scalar, Shape.Scalar], count: 5, low: -3, high: 3);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(5 * (2 + 2), report.ComparedCount);
    }

    [Fact]
    public void AHandGradientOfTheWrongShapeFailsClearly()
    {
        var derivation = new MultiInputDerivation<double>(Loss, p => [Tensor.FromArray([1.0, 2.0], 2), p[1]], "w", "b");

        var error = Assert.Throws<ArgumentException>(() => derivation.CheckAt(Point(0, 0)));

        Assert.Contains("'w' has shape [2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreNamesThanInputsFailClearly()
    {
        var derivation = new MultiInputDerivation<double>(Loss, HandGradient, "w", "b", "c");

        var error = Assert.Throws<ArgumentException>(() => derivation.CheckAt(Point(0, 0)));

        Assert.Contains("3 input names (w, b, c) for points of 2 inputs", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The Gauss–Newton matrix Σ s'²·[x², x; x, 1]: the Hessian without its residual-curvature term.</summary>
    private static Tensor<double> GaussNewton(double w, double b)
    {
        var matrix = new double[2, 2];
        for (int i = 0; i < 2; i++)
        {
            double s = 1 / (1 + Math.Exp(-(w * SigmoidNeuron.X[i] + b)));
            double slope2 = s * (1 - s) * s * (1 - s);
            matrix[0, 0] += slope2 * SigmoidNeuron.X[i] * SigmoidNeuron.X[i];
            matrix[0, 1] += slope2 * SigmoidNeuron.X[i];
            matrix[1, 0] += slope2 * SigmoidNeuron.X[i];
            matrix[1, 1] += slope2;
        }
        return Tensor.FromArray(matrix);
    }
}
