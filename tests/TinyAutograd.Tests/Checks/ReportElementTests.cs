using TinyAutograd.Checks;
using static TinyAutograd.Tests.Checks.BrokenDerivations;

namespace TinyAutograd.Tests.Checks;

/// <summary>What a report says about each element: its full index as data, error over tolerance, and which comparison
/// decided it.</summary>
public class ReportElementTests
{
    [Fact]
    public void ASecondDerivativeCarriesBothIndicesAsData()
    {
        var derivation = new Derivation<double>(KroneckerQuadratic.Function, KroneckerQuadratic.Gradient, "X") { Hessian = KroneckerQuadratic.HessianSwapped };

        var report = derivation.CheckAt(Tensor.Normal<double>([3, 2], seed: 3));

        Assert.All(report.WorstFailures, element =>
        {
            Assert.Equal("X", element.Input);
            Assert.Equal("X", element.SecondInput);
            Assert.Equal($"∂²f/∂X[{string.Join(", ", element.Index)}]∂X[{string.Join(", ", element.SecondIndex!)}]", element.Quantity);
            // Independently: A ⊗ B at (a·2 + b, c·2 + d) against the hand's B ⊗ A there.
            Assert.Equal(KroneckerQuadratic.Hessian(null!)[element.Index[0] * 2 + element.Index[1], element.SecondIndex![0] * 2 + element.SecondIndex[1]], element.AutoDiff!.Value, 1e-12);
        });
    }

    [Fact]
    public void AJacobianElementCarriesItsOutputIndex()
    {
        var report = GradCheck.Run(x => FlawedOps.SquareWithHalfGradient(x), Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2));

        var worst = report.Worst!;
        Assert.Equal(worst.Index, worst.OutputIndex);
        Assert.Null(worst.SecondIndex);
        Assert.Equal([1, 1], worst.Index);
    }

    [Fact]
    public void TheRatioIsPrintedAndRanksTheListedFailures()
    {
        var report = GradCheck.Run(v => FlawedOps.SquareWithHalfGradient(v).Sum(), Tensor.FromArray([3.0, -1.0, 2.0, 0.5], 4));

        var ratios = report.WorstFailures.Select(element => element.Ratio).ToArray();
        Assert.Equal(ratios.OrderByDescending(r => r), ratios);
        Assert.All(report.WorstFailures, element => Assert.Equal(element.Error / element.Tolerance, element.Ratio, 1e-12));
        string text = report.ToString();
        foreach (var element in report.WorstFailures)
        {
            Assert.Contains($"error/tolerance {CheckText.Short(element.Ratio)}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AWrongHandValueIsAlwaysJudgedHandVsAutodiff()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, SoftmaxRegression.Gradient, "W") { Hessian = SoftmaxRegression.HessianMissingOneOverN };

        var report = derivation.CheckAtRandomPoints(new Shape(3, 2), count: 3, options: new CheckOptions { MaxListedElements = 20 });

        Assert.Equal(20, report.WorstFailures.Count);
        Assert.All(report.WorstFailures, element => Assert.Equal("hand vs autodiff", element.Comparison));
        Assert.DoesNotContain("(autodiff vs finite differences)", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongAutodiffIsJudgedAgainstFiniteDifferencesEvenWhenTheHandIsRight()
    {
        // f uses a rule autodiff gets wrong (x·detach(x) has gradient x, not 2x); the hand gradient 2x is right.
        var derivation = new Derivation<double>(x => FlawedOps.SquareWithHalfGradient(x).Sum(), x => 2.0 * x);

        var report = derivation.CheckAt(Tensor.FromArray([1.0, -2.0], 2));

        Assert.All(report.WorstFailures, element => Assert.Equal("autodiff vs finite differences", element.Comparison));
        Assert.Contains("agrees with finite differences but autodiff does not", report.ToString(), StringComparison.Ordinal);
    }
}
