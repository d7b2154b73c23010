namespace TinyAutograd.Tests.Core;

/// <summary>
/// <see cref="TensorMemory.Measure"/>: the peak of live tensor bytes, the bytes handed out and the buffer count, on
/// computations whose live buffers are known by construction (each step reads only the previous step's result).
/// </summary>
public sealed class TensorMemoryTests
{
    private const int Length = 1000;
    private const long BufferBytes = Length * sizeof(double);

    [Fact]
    public void AChainOfUnrecordedStepsHoldsTwoBuffersAtOnce()
    {
        var x = Tensor.Zeros<double>(Length);
        var usage = TensorMemory.Measure(() => Chain(x, steps: 4));
        Assert.Equal(new TensorMemoryUsage(2 * BufferBytes, 4 * BufferBytes, 4), usage);
    }

    [Fact]
    public void ARecordedGraphKeepsEveryIntermediateUntilTheEnd()
    {
        var x = Tensor.Zeros<double>(Length).RequireGrad();
        var usage = TensorMemory.Measure(() => Chain(x, steps: 3).Sum());
        Assert.Equal(new TensorMemoryUsage(3 * BufferBytes + sizeof(double), 3 * BufferBytes + sizeof(double), 4), usage);
    }

    [Fact]
    public void AnArenaHoldsItsBuffersUntilItEndsAndTheRecycledOnesCountAgainWhenReused()
    {
        var x = Tensor.Zeros<double>(Length);
        var usage = TensorMemory.Measure(() =>
        {
            for (int round = 0; round < 2; round++)
            {
                using (TensorArena.Begin())
                {
                    Chain(x, steps: 4);
                }
            }
        });
        Assert.Equal(new TensorMemoryUsage(4 * BufferBytes, 8 * BufferBytes, 8), usage);
    }

    [Fact]
    public void ViewsOfExistingBuffersAreNotCounted()
    {
        var x = Tensor.Zeros<double>(Length);
        var usage = TensorMemory.Measure(() =>
        {
            x.Detach();
            x.Reshape(10, 100);
        });
        Assert.Equal(default, usage);
    }

    [Fact]
    public void MeasurementsDoNotNest()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TensorMemory.Measure(() => TensorMemory.Measure(() => { })));
        Assert.Contains("do not nest", error.Message, StringComparison.Ordinal);
        Assert.Equal(default, TensorMemory.Measure(() => { }));
    }

    /// <summary>x ↦ exp(x), <paramref name="steps"/> times: each step allocates one buffer while its input is live.</summary>
    private static Tensor<double> Chain(Tensor<double> x, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            x = x.Exp();
        }
        return x;
    }
}
