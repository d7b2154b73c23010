namespace TinyAutograd.Tests.Examples;

public sealed class SigmoidNeuronDemoTests
{
    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static double Loss(double w, double b) =>
        new[] { (0.5, 0.2), (2.5, 0.9) }.Sum(p => 0.5 * Math.Pow(1 / (1 + Math.Exp(-(w * p.Item1 + b))) - p.Item2, 2));

    [Fact]
    public void Reports_the_guess_table_and_reaches_the_exact_fit()
    {
        var (json, directory) = ExampleRun.Json("sigmoid-neuron");

        ExampleRun.HasKeys(json, "w", "b", "loss", "guesses", "pictures");
        var guesses = json.GetProperty("guesses").EnumerateArray().ToArray();
        Assert.Equal(6, guesses.Length);
        foreach (var guess in guesses)
        {
            double w = guess.GetProperty("w").GetDouble(), b = guess.GetProperty("b").GetDouble();
            Assert.Equal(Loss(w, b), guess.GetProperty("loss").GetDouble(), 12);
        }
        // Two points, two parameters: the minimum interpolates both, σ(0.5w + b) = 0.2 and σ(2.5w + b) = 0.9.
        double wStar = (Logit(0.9) - Logit(0.2)) / 2, bStar = Logit(0.2) - 0.5 * wStar;
        Assert.Equal(wStar, json.GetProperty("w").GetDouble(), 2);
        Assert.Equal(bStar, json.GetProperty("b").GetDouble(), 2);
        Assert.True(json.GetProperty("loss").GetDouble() < 1e-8);
        ExampleRun.HasValidPictures(json, directory);
    }

    [Fact]
    public void A_few_epochs_start_from_the_lectures_point()
    {
        var (json, _) = ExampleRun.Json("sigmoid-neuron", "--epochs", "1", "--learning-rate", "0");

        Assert.Equal(-2.0, json.GetProperty("w").GetDouble());
        Assert.Equal(2.0, json.GetProperty("b").GetDouble());
        Assert.Equal(Loss(-2, 2), json.GetProperty("loss").GetDouble(), 12);
    }
}
