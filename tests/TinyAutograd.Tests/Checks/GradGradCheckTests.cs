using TinyAutograd.Checks;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Checks;

public class GradGradCheckTests
{
    [Fact]
    public void PassesForATanhNetworkLossOfSeveralInputs()
    {
        var x = Tensor.Normal<double>([4, 3], seed: 1);
        var y = Tensor.Normal<double>([4, 2], seed: 2);
        Tensor<double>[] parameters = [Tensor.Normal<double>([3, 3], seed: 3), Tensor.Normal<double>([3], seed: 4), Tensor.Normal<double>([2, 3], seed: 5)];
        var network = new TanhNetwork(3, 3, 2);

        var report = GradGradCheck.Run(p => Loss.SquaredError(network.Forward(x, p), y, Reduction.Mean), parameters);

        Assert.True(report.Passed, report.ToString());
        int n = 9 + 3 + 6;
        Assert.Equal(2 * n * n, report.ComparedCount);
    }

    [Fact]
    public void ChecksANonScalarFunctionThroughARandomCotangentAndSaysSo()
    {
        var report = GradGradCheck.Run(z => z.Softmax() * z, Tensor.FromArray([0.1, 0.9, -0.4], 3));

        Assert.True(report.Passed, report.ToString());
        Assert.Contains(report.Notes, note => note.Contains("<u, f>", StringComparison.Ordinal));
    }

    [Fact]
    public void FailsForAnOpWhoseGradientCannotBeDifferentiatedWhileGradCheckPassesIt()
    {
        double[] values = [0.5, -2.0, 1.0];
        var x = Tensor.FromArray(values, 3);
        Tensor<double> Function(Tensor<double> v) => FlawedOps.CubeThirdWithFrozenDerivative(v).Sum();

        var first = GradCheck.Run(Function, x);
        var second = GradGradCheck.Run(Function, x);

        Assert.True(first.Passed, first.ToString());
        Assert.False(second.Passed);
        // ∂²(Σx³/3)/∂xᵢ∂xⱼ = 2xᵢ when i = j, else 0; the frozen derivative gives 0 everywhere: three diagonal
        // elements fail, by both methods, worst at the largest |xᵢ|.
        Assert.Equal(6, second.FailedCount);
        var worst = second.Worst!;
        Assert.Equal([1], worst.Index);
        Assert.StartsWith("∂²f/∂x[1]∂x[1]", worst.Quantity, StringComparison.Ordinal);
        Assert.Equal(0.0, worst.AutoDiff!.Value);
        Assert.Equal(-4.0, worst.Numeric!.Value, 1e-6);
        Assert.Contains("worst: ∂²f/∂x[1]∂x[1]", second.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesFloatInputs()
    {
        Assert.Throws<ArgumentException>(() => GradGradCheck.Run(v => v.Square().Sum(), Tensor.FromArray([1f], 1)));
    }
}
