namespace TinyAutograd.Tests.Examples;

public sealed class BiasVarianceDemoTests
{
    [Fact]
    public void Reports_bias_variance_and_out_of_sample_error_for_both_hypothesis_sets()
    {
        var (json, directory) = ExampleRun.Json("bias-variance", "--datasets", "50", "--steps", "50");

        foreach (var name in new[] { "H0", "H1" })
        {
            var figures = json.GetProperty(name);
            ExampleRun.HasKeys(figures, "bias", "variance", "eout");
            Assert.Equal(figures.GetProperty("bias").GetDouble() + figures.GetProperty("variance").GetDouble(), figures.GetProperty("eout").GetDouble(), 12);
        }
        ExampleRun.HasValidPictures(json, directory);
    }

    [Fact]
    public void The_constant_model_matches_its_theory()
    {
        // For h = b fitted to two points, g(x) = (y₁ + y₂)/2 with yᵢ = sin(πxᵢ), xᵢ ~ U[−1, 1]: ḡ = E[sin(πx)] = 0, so
        // bias = E_x[sin²(πx)] = 1/2, and variance = Var[(y₁ + y₂)/2] = (1/2)·E[sin²] = 1/4.
        var (json, _) = ExampleRun.Json("bias-variance", "--datasets", "1000", "--steps", "200");

        var h0 = json.GetProperty("H0");
        Assert.InRange(h0.GetProperty("bias").GetDouble(), 0.45, 0.55);
        Assert.InRange(h0.GetProperty("variance").GetDouble(), 0.22, 0.28);
    }
}
