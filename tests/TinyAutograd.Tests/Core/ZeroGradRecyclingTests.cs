namespace TinyAutograd.Tests.Core;

/// <summary>
/// <c>ZeroGrad</c> hands the buffer of a gradient that backward made back to the pool, so the next backward reuses
/// it; a gradient that anything else can see (a view, an assignment, a recorded use) is only dropped.
/// </summary>
public sealed class ZeroGradRecyclingTests
{
    private const int Length = 4096;

    [Theory]
    [InlineData(Length)]
    [InlineData(128)]
    public void ASteadyArenaTrainingLoopAllocatesLessThanOneGradientPerStep(int length)
    {
        // 128 elements: a layer's bias or a batch's per-example losses, pooled like the large buffers.
        var w = Tensor.Ones<double>(length).RequireGrad();
        void Step()
        {
            using (TensorArena.Begin())
            {
                (w * 3.0).Sum().Backward();
            }
            w.ZeroGrad();
        }

        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            Step();
        }
        const int steps = 20;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < steps; step++)
        {
            Step();
        }
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;

        Assert.True(perStep < length * sizeof(double), $"{perStep} bytes per step; one gradient is {length * sizeof(double)} bytes.");
    }

    [Fact]
    public void AKeptReferenceToTheClearedGradientSaysZeroGradRecycledIt()
    {
        var w = Tensor.Ones<double>(Length).RequireGrad();
        w.Name = "w";
        (w * w).Sum().Backward();
        var stale = w.Grad!;
        w.ZeroGrad();

        Assert.Null(w.Grad);
        Assert.True(stale.IsRetired);
        var error = Assert.Throws<ObjectDisposedException>(() => stale.ToArray());
        Assert.Contains("former Grad of tensor 'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ZeroGrad", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AClonedGradientKeepsItsValuesPastZeroGrad()
    {
        var w = Tensor.Ones<double>(Length).RequireGrad();
        (w * w).Sum().Backward();
        var copy = w.Grad!.Clone();
        w.ZeroGrad();
        (w * 5.0).Sum().Backward();

        Assert.All(copy.ToArray(), value => Assert.Equal(2.0, value));
    }

    [Fact]
    public void AGradientWithAViewIsDroppedButNotRecycled()
    {
        var w = Tensor.Ones<double>(Length).RequireGrad();
        (w * w).Sum().Backward();
        var view = w.Grad!.Reshape(64, 64);
        w.ZeroGrad();
        (w * 7.0).Sum().Backward();

        Assert.All(view.ToArray(), value => Assert.Equal(2.0, value));
        Assert.All(w.Grad!.ToArray(), value => Assert.Equal(7.0, value));
    }

    [Fact]
    public void AGradientTheCallerAssignedIsDroppedButNotRecycled()
    {
        var w = Tensor.Ones<double>(Length).RequireGrad();
        var mine = Tensor.Ones<double>(Length);
        w.Grad = mine;
        w.ZeroGrad();
        (w * 4.0).Sum().Backward();

        Assert.False(mine.IsRetired);
        Assert.All(mine.ToArray(), value => Assert.Equal(1.0, value));
        Assert.All(w.Grad!.ToArray(), value => Assert.Equal(4.0, value));
    }

    [Fact]
    public void AGradientUsedInARecordedComputationIsDroppedButNotRecycled()
    {
        var w = Tensor.Ones<double>(Length).RequireGrad();
        (w * w).Sum().Backward();
        var g = w.Grad!;
        var penalty = (w * g).Sum();
        w.ZeroGrad();
        (w * 6.0).Sum().Backward();

        Assert.False(g.IsRetired);
        penalty.Backward();
        Assert.All(w.Grad!.ToArray(), value => Assert.Equal(6.0 + 2.0, value));
    }

    [Fact]
    public void InsideAnArenaAGradientOfATensorMadeThereIsLeftToTheArena()
    {
        using var arena = TensorArena.Begin();
        var w = Tensor.Ones<double>(Length).RequireGrad();
        (w * w).Sum().Backward();
        var g = w.Grad!;
        w.ZeroGrad();

        Assert.Null(w.Grad);
        Assert.False(g.IsRetired);
        Assert.All(g.ToArray(), value => Assert.Equal(2.0, value));
    }

    [Fact]
    public void AParameterUsedThroughAReshapeGetsAPrivateGradientThatIsRecycled()
    {
        // A convolution reshapes its weight [O, C, kh, kw] to [O, C·kh·kw]: the gradient arrives as a view of the product's
        // gradient. The parameter gets a copy of its own, with the right values, and ZeroGrad recycles it step after step.
        const int rows = 8, columns = 256, inner = 4;
        var w = Tensor.FromArray(Enumerable.Range(0, rows * columns).Select(i => i * 0.001).ToArray(), rows, 16, 16).RequireGrad();
        var x = Tensor.FromArray(Enumerable.Range(0, columns * inner).Select(i => Math.Sin(i)).ToArray(), columns, inner);
        void Step()
        {
            using (TensorArena.Begin())
            {
                w.Reshape(rows, columns).MatMul(x).Sum().Backward();
            }
        }

        Step();
        var gradient = w.Grad!.ToArray();
        for (int k = 0; k < rows * columns; k++)
        {
            double expected = Enumerable.Range(0, inner).Sum(j => Math.Sin(k % columns * inner + j));
            Assert.Equal(expected, gradient[k], 1e-12);
        }
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            w.ZeroGrad();
            Step();
        }
        const int steps = 20;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < steps; step++)
        {
            w.ZeroGrad();
            Step();
        }
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;

        Assert.Equal(gradient, w.Grad!.ToArray());
        Assert.True(perStep < rows * columns * sizeof(double), $"{perStep} bytes per step; one gradient is {rows * columns * sizeof(double)} bytes.");
    }

    [Fact]
    public void ASteadyArenaTrainingLoopReusesOneGradientBufferPerParameter()
    {
        var w = Tensor.Ones<double>(64, 64).RequireGrad();
        var x = Tensor.Ones<double>(8, 64);
        var buffers = new HashSet<double[]>(ReferenceEqualityComparer.Instance);
        for (int step = 0; step < 5; step++)
        {
            using (TensorArena.Begin())
            {
                x.MatMul(w).Tanh().Sum().Backward();
            }
            if (step > 0)
            {
                buffers.Add(w.Grad!.Storage);
            }
            w.ZeroGrad();
        }

        Assert.Single(buffers);
    }
}
