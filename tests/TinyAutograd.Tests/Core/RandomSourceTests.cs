namespace TinyAutograd.Tests.Core;

/// <summary>The seeded generator: reproducible, in range, and with the right first two moments.</summary>
public sealed class RandomSourceTests
{
    [Fact]
    public void SameSeedGivesTheSameSequenceAndOtherSeedsDiffer()
    {
        var a = new RandomSource(42);
        var b = new RandomSource(42);
        var c = new RandomSource(43);
        var first = Enumerable.Range(0, 100).Select(_ => a.NextBits()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 100).Select(_ => b.NextBits()));
        Assert.NotEqual(first, Enumerable.Range(0, 100).Select(_ => c.NextBits()));
        Assert.Equal(Tensor.Uniform<double>([5], seed: 7).ToArray(), Tensor.Uniform<double>([5], seed: 7).ToArray());
    }

    [Fact]
    public void UniformValuesStayInRange()
    {
        var random = new RandomSource(1);
        Assert.All(Enumerable.Range(0, 10_000).Select(_ => random.NextDouble()), v => Assert.InRange(v, 0.0, Math.BitDecrement(1.0)));
        Assert.All(Enumerable.Range(0, 10_000).Select(_ => random.NextInt(7)), v => Assert.InRange(v, 0, 6));
        Assert.All(random.Uniform<float>([1000], -2, 3).ToArray(), v => Assert.InRange(v, -2f, 3f));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(0));
    }

    [Fact]
    public void NextIntHitsEveryValueEvenly()
    {
        var random = new RandomSource(2);
        var counts = new int[7];
        const int Draws = 70_000;
        for (int i = 0; i < Draws; i++)
        {
            counts[random.NextInt(7)]++;
        }
        // Each count is Binomial(70000, 1/7): mean 10000, σ ≈ 92; 6σ leaves no room for flakiness with a fixed seed anyway.
        Assert.All(counts, count => Assert.InRange(count, 10_000 - 6 * 92, 10_000 + 6 * 92));
    }

    [Fact]
    public void NormalSamplesHaveTheRequestedMeanAndSpread()
    {
        var samples = Tensor.Normal<double>([40_000], mean: 3, std: 2, seed: 3).ToArray();
        double mean = samples.Average();
        double variance = samples.Select(v => (v - mean) * (v - mean)).Sum() / (samples.Length - 1);
        // Standard errors: σ/√n = 0.01 for the mean, about σ²·√(2/n) = 0.028 for the variance; allow 5 of each.
        Assert.InRange(mean, 3 - 0.05, 3 + 0.05);
        Assert.InRange(variance, 4 - 0.14, 4 + 0.14);
    }

    [Fact]
    public void ShuffleIsAPermutation()
    {
        var values = Enumerable.Range(0, 50).ToArray();
        new RandomSource(4).Shuffle(values.AsSpan());
        Assert.Equal(Enumerable.Range(0, 50), values.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), values);
    }
}
