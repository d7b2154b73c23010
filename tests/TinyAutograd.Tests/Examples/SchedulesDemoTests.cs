namespace TinyAutograd.Tests.Examples;

public sealed class SchedulesDemoTests
{
    [Fact]
    public void Each_schedule_ends_at_its_formulas_rate()
    {
        const double initial = 0.3;
        const int epochs = 5;

        var (json, directory) = ExampleRun.Json("schedules", "--points", "100", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var rates = json.GetProperty("schedules").EnumerateArray().Select(s => s.GetProperty("final_learning_rate").GetDouble()).ToArray();
        Assert.Equal(5, rates.Length);
        Assert.Equal(initial, rates[0], 12);
        Assert.Equal(initial * Math.Pow(0.5, epochs / 4), rates[1], 12);
        Assert.Equal(initial * Math.Exp(-0.25 * epochs), rates[2], 12);
        Assert.Equal(initial / (1 + 0.5 * epochs), rates[3], 12);
        Assert.True(rates[4] <= initial);
        ExampleRun.HasValidPictures(json, directory);
    }
}
