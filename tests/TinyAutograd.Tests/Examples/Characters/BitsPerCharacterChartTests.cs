using TinyAutograd.Examples.Characters;

namespace TinyAutograd.Tests.Examples.Characters;

/// <summary>The smoothing of the learning curves: a centered mean that shrinks at the ends instead of lagging.</summary>
public sealed class BitsPerCharacterChartTests
{
    [Fact]
    public void CenteredMeanAveragesTheNeighboursOnBothSides()
    {
        double[] values = [1, 2, 3, 4, 10];

        // window 3: each value with one neighbour on each side, only the existing ones at the ends
        Assert.Equal([1.5, 2, 3, 17.0 / 3, 7], BitsPerCharacterChart.CenteredMean(values, 3));
        // window 5: two on each side
        Assert.Equal([2, 2.5, 4, 19.0 / 4, 17.0 / 3], BitsPerCharacterChart.CenteredMean(values, 5));
        // window 1: the values themselves
        Assert.Equal(values, BitsPerCharacterChart.CenteredMean(values, 1));
    }
}
