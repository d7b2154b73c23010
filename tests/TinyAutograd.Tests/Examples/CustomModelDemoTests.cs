namespace TinyAutograd.Tests.Examples;

public sealed class CustomModelDemoTests
{
    [Fact]
    public void The_users_op_passes_the_library_checks_and_the_model_trains()
    {
        var (json, directory) = ExampleRun.Json("custom-model", "--steps", "30", "--hidden", "6", "--points", "40");

        ExampleRun.HasKeys(json, "final_loss", "steps", "checks", "pictures");
        var checks = json.GetProperty("checks").EnumerateArray().ToArray();
        Assert.Equal(3, checks.Length);
        Assert.All(checks, check =>
        {
            Assert.True(check.GetProperty("passed").GetBoolean(), check.GetProperty("report").GetString());
            Assert.True(check.GetProperty("compared").GetInt32() > 0);
        });
        Assert.True(double.IsFinite(json.GetProperty("final_loss").GetDouble()));
        ExampleRun.HasValidPictures(json, directory);
    }
}
