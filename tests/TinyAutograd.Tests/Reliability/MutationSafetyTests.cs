namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// In-place writes and saved tensors: a backward that would read a tensor changed after it was saved refuses to run
/// (and delivers nothing), while the ordinary optimizer pattern (update between steps, in a no-grad scope) is allowed.
/// </summary>
public sealed class MutationSafetyTests
{
    [Fact]
    public void MultiplyRefusesBackwardAfterAnOptimizerLikeWriteToItsInputAndDeliversNothing()
    {
        var w = Tensor.FromArray([1.0, 2.0, 3.0]).RequireGrad();
        w.Name = "w";
        var v = Tensor.FromArray([0.5, -1.0, 2.0]).RequireGrad();
        var c = Tensor.FromArray([4.0]).RequireGrad();
        var loss = (w * v).Sum() + c.Square().Sum();
        using (GradMode.Disable())
        {
            w.GetSpanForWrite()[0] -= 0.1;
        }

        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());

        Assert.Contains("'Multiply'", error.Message, StringComparison.Ordinal);
        Assert.Contains("input 0, tensor 'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains("modified in place", error.Message, StringComparison.Ordinal);
        Assert.Null(w.Grad);
        Assert.Null(v.Grad);
        Assert.Null(c.Grad);
    }

    [Fact]
    public void AfterTheRefusalARecomputedForwardGivesTheGradientOfTheNewValues()
    {
        var w = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var v = Tensor.FromArray([3.0, -1.0]).RequireGrad();
        var stale = (w * v).Sum();
        using (GradMode.Disable())
        {
            w.GetSpanForWrite()[1] = 5.0;
        }
        Assert.Throws<InvalidOperationException>(() => stale.Backward());

        (w * v).Sum().Backward();

        Assert.Equal([3.0, -1.0], w.Grad!.ToArray());
        Assert.Equal([1.0, 5.0], v.Grad!.ToArray());
    }

    [Fact]
    public void ExpRefusesBackwardAfterItsSavedOutputIsWrittenThroughADetachedAlias()
    {
        var x = Tensor.FromArray([1.0]).RequireGrad();
        var y = x.Exp();
        Assert.Throws<InvalidOperationException>(() => y.GetSpanForWrite());
        y.Detach().GetSpanForWrite()[0] = 100.0;

        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());

        Assert.Contains("'Exp'", error.Message, StringComparison.Ordinal);
        Assert.Contains("output was modified in place", error.Message, StringComparison.Ordinal);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void MatMulRefusesBackwardAfterItsWeightIsUpdated()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3);
        var w = Tensor.FromArray([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 3, 2).RequireGrad();
        w.Name = "weight";
        var loss = x.MatMul(w).Square().Sum();
        using (GradMode.Disable())
        {
            var values = w.GetSpanForWrite();
            values[4] -= 0.01;
        }

        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());

        Assert.Contains("'MatMul'", error.Message, StringComparison.Ordinal);
        Assert.Contains("input 1, tensor 'weight'", error.Message, StringComparison.Ordinal);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void AWriteThroughADetachedAliasOfAParameterTripsTheSharedCounter()
    {
        var w = Tensor.FromArray([1.0, -2.0]).RequireGrad();
        var loss = (w * w).Sum();
        var alias = w.Detach();
        int before = w.Version;

        alias.GetSpanForWrite()[0] = 7.0;

        Assert.Equal(before + 1, w.Version);
        Assert.Equal(7.0, w[0]);
        Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Null(w.Grad);
    }

    [Fact]
    public void AWriteThroughAnUnrecordedReshapeViewTripsTheSharedCounter()
    {
        var w = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2).RequireGrad();
        var loss = w.Exp().Sum();
        using (GradMode.Disable())
        {
            var view = w.Reshape(4);
            view.GetSpanForWrite()[3] = 0.0;
        }

        Assert.Throws<InvalidOperationException>(() => loss.Backward());
    }

    [Fact]
    public void AWriteIntoACloneLeavesTheGraphValid()
    {
        var w = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var loss = (w * w).Sum();
        var copy = w.Clone();

        copy.GetSpanForWrite()[0] = 50.0;
        loss.Backward();

        Assert.Equal(0, w.Version);
        Assert.Equal([2.0, 4.0], w.Grad!.ToArray());
    }

    [Fact]
    public void WritingAParameterWhileRecordingIsRefused()
    {
        var w = Tensor.FromArray([1.0]).RequireGrad();

        var error = Assert.Throws<InvalidOperationException>(() => w.GetSpanForWrite());

        Assert.Contains("GradMode.Disable()", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, w.Version);
    }

    [Fact]
    public void UpdatingParametersBetweenStepsInANoGradScopeIsAllowedAndEachStepSeesTheNewValues()
    {
        double[] x = [1.0, -2.0, 0.5];
        double target = 1.5, learningRate = 0.05;
        double[] expected = [0.2, 0.1, -0.3];
        var w = Tensor.FromArray((double[])expected.Clone()).RequireGrad();
        var input = Tensor.FromArray(x);

        for (int step = 0; step < 3; step++)
        {
            w.Grad = null;
            var loss = ((w * input).Sum() - target).Square();
            loss.Backward();

            double residual = expected[0] * x[0] + expected[1] * x[1] + expected[2] * x[2] - target;
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(2 * residual * x[i], w.Grad![i], 1e-13);
                expected[i] -= learningRate * 2 * residual * x[i];
            }
            using (GradMode.Disable())
            {
                var values = w.GetSpanForWrite();
                for (int i = 0; i < 3; i++)
                {
                    values[i] -= learningRate * w.Grad![i];
                }
            }
        }

        Assert.Equal(3, w.Version);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], w[i], 1e-13);
        }
    }

    [Fact]
    public void WhereKeepsTheConditionItWasRecordedWith()
    {
        var condition = Tensor.FromArray([1.0, 0.0, 1.0]);
        var a = Tensor.FromArray([1.0, 2.0, 3.0]).RequireGrad();
        var b = Tensor.FromArray([4.0, 5.0, 6.0]).RequireGrad();
        var loss = Tensor.Where(condition, a, b).Sum();

        condition.GetSpanForWrite().Clear();
        loss.Backward();

        Assert.Equal([1.0, 0.0, 1.0], a.Grad!.ToArray());
        Assert.Equal([0.0, 1.0, 0.0], b.Grad!.ToArray());
    }

    [Fact]
    public void GradientsOfTwoLeavesNeverShareMemorySoClippingOneLeavesTheOtherAlone()
    {
        var a = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var b = Tensor.FromArray([3.0, 4.0]).RequireGrad();
        (a + b).Sum().Backward();

        a.Grad!.GetSpanForWrite().Fill(0.25);

        Assert.Equal([0.25, 0.25], a.Grad.ToArray());
        Assert.Equal([1.0, 1.0], b.Grad!.ToArray());
    }

    [Fact]
    public void AGradientNeverSharesMemoryWithTheCallersSeed()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0]).RequireGrad();
        var seed = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2);
        x.Reshape(2, 2).Backward(seed);

        seed.GetSpanForWrite().Fill(-1.0);

        Assert.Equal([1.0, 2.0, 3.0, 4.0], x.Grad!.ToArray());
    }

    [Fact]
    public void GradientsReturnedTogetherNeverShareMemory()
    {
        var a = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var b = Tensor.FromArray([3.0, 4.0]).RequireGrad();
        var sum = a + b;

        var gradients = AutoDiff.Gradients(sum.Sum(), [a, b, sum]);
        gradients[0].GetSpanForWrite().Fill(9.0);

        Assert.Equal([1.0, 1.0], gradients[1].ToArray());
        Assert.Equal([1.0, 1.0], gradients[2].ToArray());
    }
}
