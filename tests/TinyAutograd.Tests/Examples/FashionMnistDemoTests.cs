namespace TinyAutograd.Tests.Examples;

public sealed class FashionMnistDemoTests
{
    [Fact]
    public void Without_the_data_it_says_how_to_install_it()
    {
        string empty = Directory.CreateTempSubdirectory("tinyautograd-no-fashion-").FullName;

        var (json, _) = ExampleRun.Json("fashion-mnist", "--data-dir", empty);

        ExampleRun.HasKeys(json, "test_accuracy", "epochs", "seconds");
        Assert.False(json.GetProperty("available").GetBoolean());
        Assert.Contains("apt-get install dataset-fashion-mnist", json.GetProperty("install").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("test_accuracy").ValueKind);
    }

    [Fact]
    public void Trains_on_IDX_files_in_the_Debian_layout()
    {
        string folder = FashionMnistFiles.Write(trainCount: 40, testCount: 20);

        var (json, directory) = ExampleRun.Json("fashion-mnist", "--data-dir", folder, "--epochs", "2", "--batch-size", "16", "--train-limit", "32", "--test-limit", "15");

        ExampleRun.HasKeys(json, "test_accuracy", "epochs", "seconds");
        Assert.True(json.GetProperty("available").GetBoolean());
        Assert.Equal(2, json.GetProperty("epochs").GetInt32());
        Assert.Equal(32, json.GetProperty("train_examples").GetInt32());
        Assert.InRange(json.GetProperty("test_accuracy").GetDouble(), 0, 1);
        Assert.True(json.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(15, json.GetProperty("confusion").EnumerateArray().Sum(row => row.EnumerateArray().Sum(c => c.GetInt32())));
        ExampleRun.HasValidPictures(json, directory);
    }
}
