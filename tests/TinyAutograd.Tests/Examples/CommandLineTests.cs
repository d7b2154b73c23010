namespace TinyAutograd.Tests.Examples;

public sealed class CommandLineTests
{
    private static readonly string[] s_subCommands =
        ["sigmoid-neuron", "optimizers", "batching", "schedules", "logsumexp", "bias-variance", "digits", "fashion-mnist", "cnn", "hessian-eigen", "custom-model", "verify"];

    public static TheoryData<string> SubCommands => new(s_subCommands);

    [Theory]
    [MemberData(nameof(SubCommands))]
    public void Every_sub_command_has_help_with_the_common_options(string name)
    {
        var (exitCode, output, _, _) = ExampleRun.Run(name, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains(name, output, StringComparison.Ordinal);
        Assert.Contains("--out", output, StringComparison.Ordinal);
        Assert.Contains("--seed", output, StringComparison.Ordinal);
        Assert.Contains("--json", output, StringComparison.Ordinal);
        Assert.Contains("--picture-format", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_quick_tour_runs_every_demonstration()
    {
        var (json, directory) = ExampleRun.Json("--quick");

        var results = json.GetProperty("results");
        foreach (var name in s_subCommands)
        {
            Assert.True(results.TryGetProperty(name, out var result), $"the tour skipped {name}");
            if (name is not ("fashion-mnist" or "cnn" or "hessian-eigen"))
            {
                ExampleRun.HasValidPictures(result, directory);
            }
        }
        Assert.True(json.GetProperty("seconds").GetDouble() > 0);
    }
}
