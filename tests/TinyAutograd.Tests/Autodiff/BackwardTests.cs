using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff;

/// <summary>The reverse-mode tape: accumulation into .Grad, seeds, reuse of values, graph release and deep graphs.</summary>
public sealed class BackwardTests
{
    [Fact]
    public void GradAccumulatesAcrossBackwardCalls()
    {
        var x = Tensor.FromArray([1.0, -2.0, 3.0]).RequireGrad();
        (x * x).Sum().Backward();
        (x * 3.0).Sum().Backward();
        // 2x from the first call plus 3 from the second.
        Assert.Equal(new[] { 5.0, -1.0, 9.0 }, x.Grad!.ToArray());
        x.Grad = null;
        x.Sum().Backward();
        Assert.Equal(new[] { 1.0, 1.0, 1.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void NonScalarBackwardWithoutSeedThrowsAskingForASeed()
    {
        var y = Tensor.FromArray([1.0, 2.0]).RequireGrad() * 2.0;
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("not a scalar", error.Message, StringComparison.Ordinal);
        Assert.Contains("seed", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedOfTheWrongShapeThrowsNamingBothShapes()
    {
        var y = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2).RequireGrad() * 2.0;
        var error = Assert.Throws<ArgumentException>(() => y.Backward(Tensor.Ones<double>(4)));
        Assert.Contains("[4]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedWeightsTheVectorJacobianProduct()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        x.Square().Backward(Tensor.FromArray([3.0, -1.0]));
        Assert.Equal(new[] { 6.0, -4.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void ReusedValuesAccumulateEveryPath()
    {
        var x = Tensor.FromArray([0.5, -1.5, 2.0]).RequireGrad();
        (x * x * x * x).Sum().Backward();
        Assert.Equal(x.ToArray().Select(v => 4 * v * v * v), x.Grad!.ToArray());

        var z = Tensor.FromArray([0.5, -1.5, 2.0]).RequireGrad();
        var square = z * z;
        (square * square).Sum().Backward();
        Assert.Equal(z.ToArray().Select(v => 4 * v * v * v), z.Grad!.ToArray());

        var w = Tensor.Scalar(3.0).RequireGrad();
        var total = w;
        for (int i = 0; i < 99; i++)
        {
            total += w;
        }
        total.Backward();
        Assert.Equal(100.0, w.Grad!.ToScalar());
    }

    [Fact]
    public void BackwardOnATensorThatDoesNotRequireGradThrows()
    {
        var y = Tensor.FromArray([1.0, 2.0]).Sum();
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("does not require grad", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequireGrad", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GraphIsFreedAfterBackwardAndASecondBackwardThrowsMentioningRetainGraph()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var y = (x.Exp() * x).Sum();
        y.Backward();
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("retainGraph", error.Message, StringComparison.Ordinal);
        Assert.Contains("freed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetainGraphAllowsASecondBackwardThatAddsTheSameGradient()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var y = (x.Exp() * x).Sum();
        y.Backward(retainGraph: true);
        var once = x.Grad!.ToArray();
        y.Backward();
        // d/dx (x·eˣ) = (1 + x)·eˣ, added twice.
        ElementwiseComparison.Require("d/dx Σ x·eˣ", once, x.ToArray().Select(v => (1 + v) * Math.Exp(v)).ToArray(), new Tolerance(0, 1e-15));
        Assert.Equal(once.Select(g => 2 * g), x.Grad!.ToArray());
    }

    [Fact]
    public void DeepGraphOfAMillionOpsBackpropagatesWithoutStackOverflow()
    {
        const int Steps = 500_000; // two ops each: a multiply and an add
        var x = Tensor.Scalar(1.5).RequireGrad();
        var y = x;
        for (int i = 0; i < Steps; i++)
        {
            y = y * 1.000001 + 0.0;
        }
        y.Backward();
        // y = 1.5·1.000001ⁿ and dy/dx = 1.000001ⁿ; n roundings of relative size ≤ 2⁻⁵³ each: 1e-9 relative is ample.
        double growth = Math.Pow(1.000001, Steps);
        Assert.Equal(1.5 * growth, y.ToScalar(), 1.5 * growth * 1e-9);
        Assert.Equal(growth, x.Grad!.ToScalar(), growth * 1e-9);
    }
}
