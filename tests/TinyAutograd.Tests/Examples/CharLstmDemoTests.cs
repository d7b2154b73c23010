namespace TinyAutograd.Tests.Examples;

public sealed class CharLstmDemoTests
{
    [Fact]
    public void Trains_a_tiny_LSTM_and_reports_bits_per_character_next_to_the_bigram()
    {
        var (json, directory) = ExampleRun.Json("char-lstm", "--text-length", "3000", "--steps", "3", "--batch-size", "4", "--sequence-length", "16",
            "--hidden", "8", "--embedding", "4", "--sample-length", "20");

        ExampleRun.HasKeys(json, "validation_bits_per_char", "bigram_bits_per_char", "seconds", "sample");
        foreach (var key in new[] { "validation_bits_per_char", "bigram_bits_per_char", "seconds" })
        {
            double value = json.GetProperty(key).GetDouble();
            Assert.True(double.IsFinite(value) && value > 0, $"{key} = {value}");
        }
        // The prompt "A" and 20 generated characters.
        Assert.Equal(21, json.GetProperty("sample").GetString()!.Length);
        ExampleRun.HasValidPictures(json, directory);
    }
}
