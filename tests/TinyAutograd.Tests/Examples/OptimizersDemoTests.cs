namespace TinyAutograd.Tests.Examples;

public sealed class OptimizersDemoTests
{
    [Fact]
    public void Every_optimizer_races_on_every_surface()
    {
        var (json, directory) = ExampleRun.Json("optimizers", "--iterations", "40");

        var results = json.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(3 * 8, results.Length);
        foreach (var result in results)
        {
            ExampleRun.HasKeys(result, "surface", "optimizer", "iterations", "final_loss");
        }
        Assert.Equal(["sigmoid", "valley", "saddle"], results.Select(r => r.GetProperty("surface").GetString()).Distinct());
        Assert.Equal(["GD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam", "Newton-CG"],
            results.Select(r => r.GetProperty("optimizer").GetString()).Distinct());
        ExampleRun.HasValidPictures(json, directory);
        Assert.Equal(6, json.GetProperty("pictures").GetArrayLength());
    }

    [Fact]
    public void Newton_solves_the_quadratic_valley_in_a_step_or_two()
    {
        var (json, _) = ExampleRun.Json("optimizers", "--iterations", "3");

        var newton = json.GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("surface").GetString() == "valley" && r.GetProperty("optimizer").GetString() == "Newton-CG");
        // On a quadratic the Newton step lands on the minimum; CG solves the 2×2 system in at most 2 iterations.
        Assert.InRange(newton.GetProperty("iterations").GetInt32(), 1, 2);
        Assert.True(newton.GetProperty("final_loss").GetDouble() < 1e-20);
    }
}
