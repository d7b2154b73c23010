using TinyAutograd.Checks;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Checks;

public class HessianVectorProductCheckTests
{
    [Fact]
    public void PassesForACrossEntropyNetworkWithARandomDirection()
    {
        var x = Tensor.Normal<double>([8, 6], seed: 1);
        int[] labels = [0, 1, 2, 3, 0, 1, 2, 3];
        Tensor<double>[] parameters = [Tensor.Normal<double>([10, 6], std: 0.4, seed: 2), Tensor.Zeros<double>(10), Tensor.Normal<double>([4, 10], std: 0.3, seed: 3)];
        var network = new TanhNetwork(6, 10, 4);

        var report = HessianVectorProductCheck.Run(p => Loss.CrossEntropy(network.Forward(x, p), labels, Reduction.Mean), parameters);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(2 * (60 + 10 + 40), report.ComparedCount);
        Assert.Contains(report.Notes, note => note.Contains("standard normal", StringComparison.Ordinal));
    }

    [Fact]
    public void UsesTheGivenVector()
    {
        // f = Σx⁴/4 has ∇²f = diag(3x²), so H·v = 3x²v elementwise.
        var x = Tensor.FromArray([1.0, -2.0], 2);
        var v = Tensor.FromArray([0.5, 1.0], 2);

        var report = HessianVectorProductCheck.Run(t => t.Pow(4.0).Sum() / 4.0, x, v);

        Assert.True(report.Passed, report.ToString());
        var worst = report.Worst!;
        int k = worst.Index[0];
        double expected = 3 * x.Data[k] * x.Data[k] * v.Data[k];
        Assert.Equal(expected, worst.AutoDiff!.Value, 1e-12);
        Assert.Equal(expected, worst.Numeric!.Value, 1e-6);
    }

    [Fact]
    public void FailsWhenTheSecondDerivativeIsWrong()
    {
        var x = Tensor.FromArray([0.5, -2.0, 1.0], 3);

        var report = HessianVectorProductCheck.Run(v => FlawedOps.CubeThirdWithFrozenDerivative(v).Sum(), x, Tensor.Ones<double>(3));

        Assert.False(report.Passed);
        Assert.Equal([1], report.Worst!.Index);
        Assert.Equal(-4.0, report.Worst.Numeric!.Value, 1e-6);
    }
}
