namespace TinyAutograd.Tests.Examples;

public sealed class BatchingDemoTests
{
    [Fact]
    public void Compares_batch_stochastic_and_mini_batch_updates()
    {
        var (json, directory) = ExampleRun.Json("batching", "--points", "200", "--epochs", "2");

        ExampleRun.HasKeys(json, "points", "epochs", "minimum_loss", "runs", "pictures");
        var runs = json.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal([200, 1, 10, 100], runs.Select(r => r.GetProperty("batch_size").GetInt32()));
        // ⌈N/m⌉ updates per epoch.
        Assert.Equal([1, 200, 20, 2], runs.Select(r => r.GetProperty("updates_per_epoch").GetInt32()));
        foreach (var run in runs)
        {
            ExampleRun.HasKeys(run, "final_excess_loss", "last_epoch_mean_excess_loss", "last_epoch_max_excess_loss");
            Assert.True(run.GetProperty("final_excess_loss").GetDouble() > -1e-9, "no line beats the least-squares line");
        }
        ExampleRun.HasValidPictures(json, directory);
    }
}
