using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// The lectures' worked example (SEEDS.md §2): one sigmoid neuron f(x) = σ(wx + b) with loss L = Σ ½(f(x) − y)².
/// Autodiff must reproduce the hand-derived gradients ∂L/∂w = Σ (f − y)·f·(1 − f)·x and ∂L/∂b = Σ (f − y)·f·(1 − f).
/// </summary>
public sealed class SigmoidNeuronTests
{
    private static readonly double[] LectureInputs = [0.5, 2.5];
    private static readonly double[] LectureTargets = [0.2, 0.9];

    private static (double Loss, double DLossDw, double DLossDb) Autodiff(double w, double b, double[] xs, double[] ys)
    {
        var weight = Tensor.Scalar(w).RequireGrad();
        var bias = Tensor.Scalar(b).RequireGrad();
        var f = (Tensor.FromArray(xs) * weight + bias).Sigmoid();
        var loss = 0.5 * Loss.SquaredError(f, Tensor.FromArray(ys), Reduction.Sum);
        loss.Backward();
        return (loss.ToScalar(), weight.Grad!.ToScalar(), bias.Grad!.ToScalar());
    }

    private static (double Loss, double DLossDw, double DLossDb) ByHand(double w, double b, double[] xs, double[] ys)
    {
        double loss = 0, dw = 0, db = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double f = 1 / (1 + Math.Exp(-(w * xs[i] + b)));
            loss += 0.5 * (f - ys[i]) * (f - ys[i]);
            dw += (f - ys[i]) * f * (1 - f) * xs[i];
            db += (f - ys[i]) * f * (1 - f);
        }
        return (loss, dw, db);
    }

    private static void RequireAgreement(double w, double b, double[] xs, double[] ys)
    {
        var actual = Autodiff(w, b, xs, ys);
        var expected = ByHand(w, b, xs, ys);
        // The same formulas evaluated in a different order: agreement to a few ulps of the largest term.
        var tolerance = new Tolerance(Absolute: 1e-15, Relative: 1e-12);
        string at = FormattableString.Invariant($"(w, b) = ({w}, {b})");
        ElementwiseComparison.Require($"L at {at}", actual.Loss, expected.Loss, tolerance, "autodiff", "by hand");
        ElementwiseComparison.Require($"∂L/∂w at {at}", actual.DLossDw, expected.DLossDw, tolerance, "autodiff", "by hand");
        ElementwiseComparison.Require($"∂L/∂b at {at}", actual.DLossDb, expected.DLossDb, tolerance, "autodiff", "by hand");
    }

    [Fact]
    public void GradientMatchesTheHandDerivedFormulaOnTheLectureData() =>
        Properties.ForAll(
            Gen.Zip(Values.Uniform(-5, 5), Values.Uniform(-5, 5)),
            point => RequireAgreement(point.Item1, point.Item2, LectureInputs, LectureTargets));

    [Fact]
    public void GradientMatchesTheHandDerivedFormulaOnRandomData() =>
        Properties.ForAll(
            from w in Values.Uniform(-5, 5)
            from b in Values.Uniform(-5, 5)
            from count in Gen.Choose(1, 6)
            from xs in Gen.ArrayOf(Values.Uniform(-3, 3), count)
            from ys in Gen.ArrayOf(Values.Probability, count)
            select (w, b, xs, ys),
            data => RequireAgreement(data.w, data.b, data.xs, data.ys));

    [Fact]
    public void LectureStartingPointHasTheHandComputedLossAndGradient()
    {
        // At (w, b) = (−2, 2): wx + b = 1 and −3, so f = σ(1) and σ(−3).
        double f1 = 1 / (1 + Math.Exp(-1)), f2 = 1 / (1 + Math.Exp(3));
        var (loss, dw, db) = Autodiff(-2, 2, LectureInputs, LectureTargets);
        Assert.Equal(0.5 * ((f1 - 0.2) * (f1 - 0.2) + (f2 - 0.9) * (f2 - 0.9)), loss, 1e-15);
        Assert.Equal((f1 - 0.2) * f1 * (1 - f1) * 0.5 + (f2 - 0.9) * f2 * (1 - f2) * 2.5, dw, 1e-15);
        Assert.Equal((f1 - 0.2) * f1 * (1 - f1) + (f2 - 0.9) * f2 * (1 - f2), db, 1e-15);
    }
}
