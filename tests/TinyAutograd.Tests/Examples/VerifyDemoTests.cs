namespace TinyAutograd.Tests.Examples;

public sealed class VerifyDemoTests
{
    [Fact]
    public void The_right_derivation_passes_and_the_slip_fails_on_dL_dw_only()
    {
        var (json, directory) = ExampleRun.Json("verify", "--points", "2");

        var correct = json.GetProperty("correct");
        var wrong = json.GetProperty("wrong");
        Assert.True(correct.GetProperty("passed").GetBoolean());
        Assert.False(wrong.GetProperty("passed").GetBoolean());
        // Two points × (∂L/∂w, ∂L/∂b); only ∂L/∂w is wrong, at both points.
        Assert.Equal(4, wrong.GetProperty("compared").GetInt32());
        Assert.Equal(2, wrong.GetProperty("failed").GetInt32());
        Assert.Contains("∂f/∂w", wrong.GetProperty("report").GetString(), StringComparison.Ordinal);
        ExampleRun.HasValidPictures(json, directory);
    }
}
