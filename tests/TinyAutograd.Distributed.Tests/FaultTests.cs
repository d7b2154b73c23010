namespace TinyAutograd.Distributed.Tests;

[Collection(MpiCollection.Name)]
public sealed class FaultTests
{
    [Fact]
    public void Ranks_with_mismatched_shapes_fail_at_start_naming_the_parameter()
    {
        var run = MpiRun.Worker(2, "mismatch");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("parameter 0 is 'hidden.weight' (float64, shape [8, 6]) on rank 0 but 'hidden.weight' (float64, shape [5, 6]) on rank 1", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rank_killed_mid_epoch_ends_the_other_within_30_seconds_with_a_clear_error()
    {
        var run = MpiRun.Worker(2, "fault", "kill");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("simulating a fault (kill) at step 3", run.Output, StringComparison.Ordinal);
        // Open MPI's launcher notices the death and stops rank 0; had it not, rank 0's 3 s timeout would have.
        Assert.True(run.Output.Contains("rank 1", StringComparison.Ordinal) &&
            (run.Output.Contains("exited on signal 9", StringComparison.Ordinal) || run.Output.Contains("another rank has died or stopped responding", StringComparison.Ordinal)),
            run.Output);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(30), $"took {run.Elapsed}");
    }

    [Fact]
    public void A_rank_that_stops_responding_makes_the_other_fail_after_its_timeout()
    {
        var run = MpiRun.Worker(2, "fault", "hang");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("did not complete within 3 s (Communicator.Timeout) on rank 0 of 2: another rank has died or stopped responding", run.Output, StringComparison.Ordinal);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(30), $"took {run.Elapsed}");
    }
}
