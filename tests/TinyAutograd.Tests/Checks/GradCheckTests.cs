using TinyAutograd.Checks;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Checks;

public class GradCheckTests
{
    [Fact]
    public void PassesForATanhNetworkOfSeveralInputs()
    {
        var x = Tensor.Normal<double>([3, 4], seed: 1);
        Tensor<double>[] parameters = [Tensor.Normal<double>([5, 4], seed: 2), Tensor.Normal<double>([5], seed: 3), Tensor.Normal<double>([2, 5], seed: 4)];
        var network = new TanhNetwork(4, 5, 2);

        var report = GradCheck.Run(p => network.Forward(x, p).LogSumExp(1).Mean(), parameters);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(2 * (20 + 5 + 10), report.ComparedCount);
    }

    [Fact]
    public void PassesForANonScalarFunctionComparingEveryJacobianElement()
    {
        var report = GradCheck.Run(z => (z * 2.0).Softmax() * z.Sigmoid(), Tensor.FromArray([0.4, -1.0, 2.2], 3));

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(2 * 3 * 3, report.ComparedCount);
    }

    [Fact]
    public void PassesForBroadcastingAndMatrixProductsOfTwoInputs()
    {
        Tensor<double>[] inputs = [Tensor.Normal<double>([2, 3], seed: 5), Tensor.Normal<double>([3], seed: 6)];

        var report = GradCheck.Run(p => (p[0] * p[1]).Exp().MatMul(p[1].Square()), inputs);

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void FailsForAHandMadeOpWithAWrongGradientAndNamesTheWorstElement()
    {
        double[] values = [0.5, -3.0, 1.5, 2.0];
        var x = Tensor.FromArray(values, 4);
        x.Name = "x";

        var report = GradCheck.Run(v => FlawedOps.SquareWithHalfGradient(v).Sum(), x);

        Assert.False(report.Passed);
        // d/dxᵢ Σx² = 2xᵢ, but the op yields xᵢ: every element fails, by both modes, worst where |xᵢ| is largest.
        Assert.Equal(8, report.FailedCount);
        var worst = report.Worst!;
        Assert.Equal("x", worst.Input);
        Assert.Equal([1], worst.Index);
        Assert.Equal(-3.0, worst.AutoDiff!.Value, 1e-12);
        Assert.Equal(-6.0, worst.Numeric!.Value, 1e-6);
        Assert.Null(worst.Hand);
        Assert.StartsWith("∂f/∂x[1]", worst.Quantity, StringComparison.Ordinal);
        string verdict = report.ToString();
        Assert.Contains("GradCheck FAILED: 8 of 8", verdict, StringComparison.Ordinal);
        Assert.Contains("worst: ∂f/∂x[1]", verdict, StringComparison.Ordinal);
        Assert.Contains("output f was made by 'Sum' at GradCheckTests.cs:", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesFloatInputs()
    {
        var x = Tensor.FromArray([1f, 2f], 2);

        var error = Assert.Throws<ArgumentException>(() => GradCheck.Run(v => v.Square().Sum(), x));

        Assert.Contains("float32", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowSinglePrecision", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunsOnFloatInputsWhenAllowedAndWarnsInTheReport()
    {
        var x = Tensor.FromArray([0.3f, -0.8f], 2);
        var options = new CheckOptions { AllowSinglePrecision = true, Step = 1e-2, AbsoluteTolerance = 1e-3, RelativeTolerance = 1e-2 };

        var report = GradCheck.Run(v => v.Tanh().Sum(), x, options);

        Assert.True(report.Passed, report.ToString());
        Assert.Contains(report.Notes, note => note.Contains("float32", StringComparison.Ordinal));
        Assert.Contains("note: float32", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAStepThatIsNotPositive()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            GradCheck.Run(v => v.Sum(), Tensor.FromArray([1.0], 1), new CheckOptions { Step = 0 }));

        Assert.Contains("Step", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsAnEmptyListOfInputs()
    {
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Run(_ => Tensor.Scalar(1.0), Array.Empty<Tensor<double>>()));

        Assert.Contains("GradCheck: no inputs given", error.Message, StringComparison.Ordinal);
    }
}
