using TinyAutograd.Profiling;

namespace TinyAutograd.Tests.Profiling;

/// <summary>The machine probe and the roofline arithmetic.</summary>
public sealed class MachineLimitsTests
{
    [Fact]
    public void TheProbeMeasuresOnceAndGivesPositiveFiniteLimits()
    {
        var limits = MachineLimits.Measured;

        Assert.Same(limits, MachineLimits.Measured);
        Assert.Equal(Environment.ProcessorCount, limits.Cores);
        Assert.Contains(limits.VectorBits, new[] { 128, 256, 512 });
        Assert.All(new[] { limits.Float32Gflops, limits.Float64Gflops, limits.Float32GflopsPerCore, limits.Float64GflopsPerCore, limits.ReadGigabytesPerSecond, limits.CopyGigabytesPerSecond },
            value => Assert.True(double.IsFinite(value) && value > 0, $"{value} in {limits}"));
    }

    [Theory]
    [InlineData(0.1, 10.0)]
    [InlineData(4.0, 100.0)]
    [InlineData(50.0, 100.0)]
    public void TheAttainableRateIsTheLowerOfThePeakAndIntensityTimesBandwidth(double intensity, double expected)
    {
        // Peak 100 GFLOP/s in float32, 50 in float64; bandwidth 100 GB/s: the ridge point is at 1 FLOP/byte in float32.
        var limits = new MachineLimits(2, 256, 100, 50, 50, 25, 100, 80);

        Assert.Equal(expected, limits.AttainableGflops(intensity, "float32"), 12);
        Assert.Equal(Math.Min(50, intensity * 100), limits.AttainableGflops(intensity, "float64"), 12);
    }

    [Fact]
    public void ThePercentOfPeakIsTheShareOfTheBindingRoof()
    {
        var limits = new MachineLimits(2, 256, 100, 50, 50, 25, 100, 80);

        // A memory-bound op (0.25 FLOP/byte) at 5 GFLOP/s, so 20 GB/s: 20% of the bandwidth roof.
        Assert.Equal(20, limits.PercentOfRoof(5, 20, "float32"), 12);
        // A compute-bound op at 40 GFLOP/s and 4 GB/s: 80% of the float64 peak.
        Assert.Equal(80, limits.PercentOfRoof(40, 4, "float64"), 12);
    }
}
