using TinyAutograd.Kernels;
using TinyAutograd.Optim;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// <see cref="CachedCalls{T, TKernel}"/> cuts a range into calls that TensorPrimitives keeps in the caches (at most
/// 256 KiB of destination each), covering every element once, and leaves a destination worth streaming in one call.
/// </summary>
public sealed class CachedCallsTests
{
    /// <summary>Records the calls it receives.</summary>
    private readonly struct Recorder(List<(int Start, int End, int Range)> calls) : IRangeKernel
    {
        public void Run(int start, int end, int range) => calls.Add((start, end, range));
    }

    [Theory]
    [InlineData(0, 65_536, 65_536)]
    [InlineData(0, 65_537, 65_537)]
    [InlineData(16, 200_704, 200_704)]
    [InlineData(100_000, 300_001, 400_000)]
    public void CutsCachedDestinationsIntoCallsOfAtMost256KiB(int start, int end, int destinationLength)
    {
        var floatCalls = Run<float>(start, end, destinationLength);
        var doubleCalls = Run<double>(start, end, destinationLength);

        AssertCovers(floatCalls, start, end, maxLength: 65_536);
        AssertCovers(doubleCalls, start, end, maxLength: 32_768);
    }

    [Fact]
    public void LeavesADestinationWorthStreamingInOneCall()
    {
        int length = (int)(VectorLoops.MinBytes / sizeof(float)) + 16;
        var calls = Run<float>(0, length, length);
        Assert.Equal([(0, length, 3)], calls);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(200_704)]
    public void RangesCoverALengthInOrder(int length)
    {
        AssertCovers(Ranges<float>(length), 0, length, maxLength: 65_536);
        AssertCovers(Ranges<double>(length), 0, length, maxLength: 32_768);
    }

    [Fact]
    public void RangesOfNoElementsAreNone()
    {
        Assert.Empty(Ranges<float>(0));
        Assert.Empty(Ranges<double>(0));
    }

    [Fact]
    public void RangesLeaveALengthWorthStreamingWhole()
    {
        int length = (int)(VectorLoops.MinBytes / sizeof(float)) + 16;
        Assert.Equal([(0, length, 3)], Ranges<float>(length));
    }

    [Fact]
    public void GradientDescentUpdatesEveryElementOfALargeParameter()
    {
        // 784×256 weights (784 KB): cut into calls, each element must still get θ − η·g exactly once.
        int length = 784 * 256;
        var random = new Random(7);
        var initial = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var gradient = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var parameter = Tensor.FromArray((float[])initial.Clone(), 784, 256).RequireGrad();
        parameter.Grad = Tensor.FromArray(gradient, 784, 256);

        new GradientDescent<float>([parameter], new GradientDescentOptions { LearningRate = 0.25 }).Step();

        var values = parameter.Data.ToArray();
        for (int i = 0; i < length; i++)
        {
            Assert.Equal((gradient[i] * -0.25f) + initial[i], values[i]);
        }
    }

    private static List<(int Start, int End, int Range)> Run<T>(int start, int end, int destinationLength)
        where T : unmanaged
    {
        var calls = new List<(int Start, int End, int Range)>();
        new CachedCalls<T, Recorder>(new Recorder(calls), destinationLength).Run(start, end, 3);
        return calls;
    }

    /// <summary>The ranges of <see cref="CachedCalls.Ranges{T}"/> as (start, end, 3), the shape of a recorded call.</summary>
    private static List<(int Start, int End, int Range)> Ranges<T>(int length)
        where T : unmanaged
    {
        var ranges = new List<(int Start, int End, int Range)>();
        foreach (var (start, count) in CachedCalls.Ranges<T>(length))
        {
            ranges.Add((start, start + count, 3));
        }
        return ranges;
    }

    private static void AssertCovers(List<(int Start, int End, int Range)> calls, int start, int end, int maxLength)
    {
        Assert.Equal(start, calls[0].Start);
        Assert.Equal(end, calls[^1].End);
        for (int i = 0; i < calls.Count; i++)
        {
            Assert.Equal(3, calls[i].Range);
            Assert.InRange(calls[i].End - calls[i].Start, 1, maxLength);
            if (i > 0)
            {
                Assert.Equal(calls[i - 1].End, calls[i].Start);
            }
        }
        Assert.Equal((end - start + maxLength - 1) / maxLength, calls.Count);
    }
}
