namespace TinyAutograd.Tests.Examples;

public sealed class LogSumExpDemoTests
{
    [Fact]
    public void Both_methods_drive_the_gradient_to_zero_and_the_derivatives_match_the_formulas()
    {
        var (json, directory) = ExampleRun.Json("logsumexp", "--terms", "12", "--dimensions", "3", "--iterations", "3000");

        ExampleRun.HasKeys(json, "gradient_descent", "newton_cg", "gradient_formula_error", "hessian_formula_error");
        Assert.True(json.GetProperty("newton_cg").GetProperty("final_gradient_norm").GetDouble() < 1e-9);
        Assert.True(json.GetProperty("gradient_descent").GetProperty("final_gradient_norm").GetDouble() < 1e-6);
        Assert.True(json.GetProperty("gradient_formula_error").GetDouble() < 1e-12);
        Assert.True(json.GetProperty("hessian_formula_error").GetDouble() < 1e-12);
        ExampleRun.HasValidPictures(json, directory);
    }
}
