namespace TinyAutograd.Tests.Core;

/// <summary>
/// Which tensors an arena retires does not depend on their size; <c>Keep</c> takes a tensor out; gradients belong to
/// the tensor they are the gradient of, so they accumulate across arenas; a retired tensor cannot be read, and says
/// what it was.
/// </summary>
public sealed class TensorArenaTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 32)]
    [InlineData(16, 64)]
    public void ADetachedResultCarriedOutOfItsArenaIsRetiredAtEverySize(int rows, int columns)
    {
        var x = Tensor.Ones<double>(rows, columns);
        Tensor<double> h;
        using (TensorArena.Begin())
        {
            h = (x * 2.0).Detach();
        }

        Assert.True(h.IsRetired);
        var error = Assert.Throws<ObjectDisposedException>(() => h.ToArray());
        Assert.Contains($"shape [{rows}, {columns}]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Keep", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 32)]
    [InlineData(16, 64)]
    public void AKeptResultCarriesIntoTheNextArenaAtEverySize(int rows, int columns)
    {
        var x = Tensor.Ones<double>(rows, columns);
        var h = x;
        for (int step = 1; step <= 3; step++)
        {
            using var arena = TensorArena.Begin();
            h = arena.Keep((h * 2.0).Detach());
        }

        Assert.False(h.IsRetired);
        Assert.All(h.ToArray(), value => Assert.Equal(8.0, value));
    }

    [Fact]
    public void KeepingATensorKeepsItsViewsAndItsGradientButNothingElse()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2);
        Tensor<double> kept, view, other, leaf;
        using (var arena = TensorArena.Begin())
        {
            leaf = (x * 1.0).Detach().RequireGrad();
            (leaf * leaf).Sum().Backward();
            kept = arena.Keep(leaf);
            view = leaf.Reshape(4);
            other = x * 3.0;
        }

        Assert.Same(leaf, kept);
        Assert.Equal([1.0, 2.0, 3.0, 4.0], view.ToArray());
        Assert.Equal([2.0, 4.0, 6.0, 8.0], kept.Grad!.ToArray());
        Assert.True(other.IsRetired);
    }

    [Fact]
    public void KeepingInAnInnerArenaHandsTheTensorToTheOuterOneOnly()
    {
        var x = Tensor.Ones<double>(3);
        Tensor<double> inner;
        using (TensorArena.Begin())
        {
            using (var arena = TensorArena.Begin())
            {
                inner = arena.Keep(x * 5.0);
            }
            Assert.Equal([5.0, 5.0, 5.0], inner.ToArray());
        }

        Assert.True(inner.IsRetired);
    }

    [Fact]
    public void ARecycledTensorNeverShowsTheValuesOfItsBuffersNextOwner()
    {
        var x = Tensor.Ones<double>(300);
        Tensor<double> first;
        using (TensorArena.Begin())
        {
            first = x * 2.0;
        }
        using (TensorArena.Begin())
        {
            var second = x * 7.0;

            Assert.All(second.ToArray(), value => Assert.Equal(7.0, value));
            Assert.Throws<ObjectDisposedException>(() => first.ToArray());
            Assert.Throws<ObjectDisposedException>(() => first[0]);
            Assert.Throws<ObjectDisposedException>(() => first.Sum());
        }
    }

    [Fact]
    public void GradientsOfParametersAccumulateAcrossArenas()
    {
        var weight = Tensor.Zeros<double>(16, 64).RequireGrad();
        var first = new RandomSource(1).Uniform<double>([16, 64]);
        var second = new RandomSource(2).Uniform<double>([16, 64]);
        weight.Grad = null;
        foreach (var coefficients in new[] { first, second })
        {
            using (TensorArena.Begin())
            {
                (weight * coefficients).Sum().Backward();
            }
        }

        var expected = first.ToArray().Zip(second.ToArray(), (a, b) => a + b);
        Assert.Equal(expected, weight.Grad!.ToArray());
    }

    [Fact]
    public void AStaleGradientSaysItIsAGrad()
    {
        Tensor<double> weight;
        using (TensorArena.Begin())
        {
            weight = Tensor.Ones<double>(32, 32).RequireGrad();
            weight = (weight * 1.0).Detach().RequireGrad();
            weight.Name = "W";
            weight.Sum().Backward();
        }

        var error = Assert.Throws<ObjectDisposedException>(() => weight.Grad!.ToArray());

        Assert.Contains("Grad of tensor 'W'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnrolledLoopReusesHundredsOfBuffersOfOneLengthFromStepToStep()
    {
        // 200 time steps of h ← tanh(h·w): each step of training makes about 800 buffers of one length (products, tanh
        // outputs and their gradients), all needed again by the next step.
        const int length = 4096, timeSteps = 200;
        var w = Tensor.Full(0.5, length).RequireGrad();
        var h0 = Tensor.Ones<double>(length);
        void Step()
        {
            using (TensorArena.Begin())
            {
                var h = h0;
                for (int t = 0; t < timeSteps; t++)
                {
                    h = (h * w).Tanh();
                }
                h.Sum().Backward();
            }
            w.ZeroGrad();
        }

        Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Recorded nodes and tensor objects remain (a few hundred bytes per op); one new buffer per time step would
        // already be timeSteps · 32 KiB.
        long oneBufferPerTimeStep = (long)timeSteps * length * sizeof(double);
        Assert.True(allocated < oneBufferPerTimeStep / 4, $"{allocated} bytes in a steady step; one new buffer per time step would be {oneBufferPerTimeStep}.");
    }
}
