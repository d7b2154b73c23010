using TinyAutograd.Examples.Models;

namespace TinyAutograd.Tests.Examples;

public sealed class HessianEigenDemoTests
{
    [Fact]
    public void Reports_each_estimate_and_the_stable_step_two_over_lambda()
    {
        string folder = FashionMnistFiles.Write(trainCount: 40, testCount: 10);

        var (json, directory) = ExampleRun.Json("hessian-eigen", "--data-dir", folder, "--epochs", "1", "--batch-size", "16", "--train-limit", "32", "--test-limit", "8",
            "--analysis-batch", "8", "--iterations", "3");

        ExampleRun.HasKeys(json, "top_eigenvalue", "largest_stable_learning_rate", "estimates", "seconds");
        var estimates = json.GetProperty("estimates").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(3, estimates.Length);
        double top = json.GetProperty("top_eigenvalue").GetDouble();
        Assert.Equal(estimates[^1], top);
        Assert.Equal(2 / top, json.GetProperty("largest_stable_learning_rate").GetDouble(), 1e-12);
        Assert.Equal(8, json.GetProperty("analysis_batch").GetInt32());
        ExampleRun.HasValidPictures(json, directory);
    }

    [Fact]
    public void Power_iteration_finds_the_largest_eigenvalue_of_a_known_quadratic()
    {
        // f(x, y) = ½·Σ a·x² + ½·Σ b·y² + c·x₀·y₀: a block-diagonal Hessian with a 2×2 coupling, whose eigenvalues
        // are a, b and (a + b)/2 ± √(((a − b)/2)² + c²): with a = 2, b = 5, c = 3 the largest is 3.5 + √11.25.
        double expected = 3.5 + Math.Sqrt(11.25);
        static Tensor<double> F(Tensor<double>[] p) =>
            (p[0].Square().Sum() * 1.0) + (p[1].Square().Sum() * 2.5) + (p[0].Slice(0, 0, 1) * p[1].Slice(0, 0, 1)).Sum() * 3.0;
        Tensor<double>[] point = [Tensor.Uniform<double>([3], -1, 1, seed: 1), Tensor.Uniform<double>([4], -1, 1, seed: 2)];

        var (estimates, vector) = HessianPowerIteration.Run<double>(F, point, 60, new RandomSource(3));

        Assert.Equal(expected, estimates[^1], 1e-9);
        Assert.True(estimates.Zip(estimates.Skip(1)).All(pair => pair.Second >= pair.First - 1e-12), "Rayleigh quotients of power iteration on a positive definite matrix do not decrease");
        Assert.Equal(expected, HessianPowerIteration.SecondDifference<double>(F, point, vector, 1e-3), 1e-6);
    }
}
