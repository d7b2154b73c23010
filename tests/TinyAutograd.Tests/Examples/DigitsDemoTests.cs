namespace TinyAutograd.Tests.Examples;

public sealed class DigitsDemoTests
{
    [Fact]
    public void Trains_on_the_shipped_digits_and_scores_the_held_out_split()
    {
        var (json, directory) = ExampleRun.Json("digits", "--epochs", "1");

        ExampleRun.HasKeys(json, "test_accuracy", "test_loss", "history", "confusion");
        Assert.Equal(1797, json.GetProperty("train_examples").GetInt32() + json.GetProperty("test_examples").GetInt32());
        int testCount = json.GetProperty("test_examples").GetInt32();
        var confusion = json.GetProperty("confusion").EnumerateArray().Select(row => row.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        Assert.Equal(10, confusion.Length);
        Assert.Equal(testCount, confusion.Sum(row => row.Sum()));
        double diagonal = Enumerable.Range(0, 10).Sum(i => confusion[i][i]);
        Assert.Equal(diagonal / testCount, json.GetProperty("test_accuracy").GetDouble(), 12);
        // Ten classes: chance is 10%; one epoch of Adam already does far better.
        Assert.True(json.GetProperty("test_accuracy").GetDouble() > 0.5);
        ExampleRun.HasValidPictures(json, directory);
    }
}
