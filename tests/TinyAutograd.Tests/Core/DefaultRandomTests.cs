namespace TinyAutograd.Tests.Core;

/// <summary>Draws without a seed advance one process-wide generator; explicit seeds do not touch it.</summary>
[Collection(nameof(DefaultRandomCollection))]
public sealed class DefaultRandomTests
{
    [Fact]
    public void TwoDrawsWithoutASeedDiffer()
    {
        Assert.NotEqual(Tensor.Normal<double>([3]).ToArray(), Tensor.Normal<double>([3]).ToArray());
        Assert.NotEqual(Tensor.Uniform<float>([3]).ToArray(), Tensor.Uniform<float>([3]).ToArray());
    }

    [Fact]
    public void SeedingTheDefaultGeneratorRepeatsItsDraws()
    {
        RandomSource.SetDefaultSeed(12);
        var first = Tensor.Normal<double>([3]).ToArray();
        var second = Tensor.Uniform<double>([2]).ToArray();
        RandomSource.SetDefaultSeed(12);

        Assert.Equal(first, Tensor.Normal<double>([3]).ToArray());
        Assert.Equal(second, Tensor.Uniform<double>([2]).ToArray());
        Assert.NotEqual(first, Tensor.Normal<double>([3], seed: 12).ToArray());
    }

    [Fact]
    public void AnExplicitSeedGivesTheSameValuesWhateverWasDrawnBefore()
    {
        var before = Tensor.Normal<double>([4], seed: 9).ToArray();
        Tensor.Normal<double>([5]);

        Assert.Equal(before, Tensor.Normal<double>([4], seed: 9).ToArray());
        Assert.Equal(new RandomSource(9).Normal<double>([4]).ToArray(), before);
    }
}

/// <summary>Tests that draw from the process-wide generator run alone, so no other test advances it meanwhile.</summary>
[CollectionDefinition(nameof(DefaultRandomCollection), DisableParallelization = true)]
public sealed class DefaultRandomCollection;
