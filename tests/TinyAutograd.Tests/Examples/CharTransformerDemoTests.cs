namespace TinyAutograd.Tests.Examples;

public sealed class CharTransformerDemoTests
{
    [Fact]
    public void Trains_a_tiny_transformer_and_reports_bits_per_character_next_to_the_bigram()
    {
        var (json, directory) = ExampleRun.Json("char-transformer", "--text-length", "3000", "--steps", "3", "--batch-size", "4", "--sequence-length", "16",
            "--model-size", "8", "--heads", "2", "--layers", "1", "--sample-length", "20");

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
