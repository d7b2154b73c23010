using TinyAutograd.Benchmarks.Workloads;
using TinyAutograd.Checks;

namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// The custom-operation contract: tensors saved by the forward, one backward call for all inputs, and checks in a
/// reverse-only mode for operations without a forward-mode rule. The custom LayerNorm is the worked case.
/// </summary>
public sealed class CustomOperationContractTests
{
    /// <summary>z = a·b + a, counting its backward calls; its backward returns both gradients at once from a saved copy of b.</summary>
    private sealed class CountedProduct() : CustomOperation<double>("CountedProduct")
    {
        public int BackwardCalls { get; private set; }

        protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs)
        {
            SaveForBackward(inputs[1] + 1.0);
            return inputs[0] * inputs[1] + inputs[0];
        }

        protected override IReadOnlyList<Tensor<double>?> Backward(CustomBackward<double> context)
        {
            BackwardCalls++;
            var bPlusOne = context.IsDifferentiated ? context.Inputs[1] + 1.0 : context.Saved[0];
            return [
                context.NeedsGradient(0) ? context.OutputGradient * bPlusOne : null,
                context.NeedsGradient(1) ? context.OutputGradient * context.Inputs[0] : null,
            ];
        }
    }

    /// <summary>Tries to save outside its forward.</summary>
    private sealed class SavesLate() : CustomOperation<double>("SavesLate")
    {
        protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs) => inputs[0];

        protected override IReadOnlyList<Tensor<double>?> Backward(CustomBackward<double> context)
        {
            SaveForBackward(context.OutputGradient);
            return [context.OutputGradient];
        }
    }

    private static readonly Tensor<double> s_a = Tensor.FromArray([0.5, -1.5, 2.0], 3);
    private static readonly Tensor<double> s_b = Tensor.FromArray([1.25, 0.5, -0.75], 3);

    [Fact]
    public void OneBackwardCallGivesEveryInputItsGradientFromTheSavedTensor()
    {
        var operation = new CountedProduct();
        var a = s_a.Clone().RequireGrad();
        var b = s_b.Clone().RequireGrad();

        operation.Apply(a, b).Sum().Backward();

        Assert.Equal(1, operation.BackwardCalls);
        Assert.Equal(s_b.ToArray().Select(v => v + 1), a.Grad!.ToArray());
        Assert.Equal(s_a.ToArray(), b.Grad!.ToArray());
    }

    [Fact]
    public void AnInputThatNeedsNoGradientGetsNone()
    {
        var a = s_a.Clone().RequireGrad();

        new CountedProduct().Apply(a, s_b).Sum().Backward();

        Assert.Equal(s_b.ToArray().Select(v => v + 1), a.Grad!.ToArray());
        Assert.Null(s_b.Grad);
    }

    [Fact]
    public void SavingOutsideTheForwardIsRefusedByName()
    {
        var x = s_a.Clone().RequireGrad();

        var error = Assert.Throws<InvalidOperationException>(() => new SavesLate().Apply(x).Sum().Backward());

        Assert.Contains("'SavesLate': SaveForBackward was called outside Forward", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChecksOfAnOperationWithoutAJvpSayWhichOptionApplies()
    {
        var error = Assert.Throws<NotSupportedException>(() => GradCheck.Run(xs => new CountedProduct().Apply(xs[0], xs[1]), [s_a, s_b]));

        Assert.Contains("GradCheck: f uses the custom operation 'CountedProduct', which has no forward-mode rule (Jvp)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReverseModeOnly = true", error.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => GradGradCheck.Run(xs => new CountedProduct().Apply(xs[0], xs[1]).Sum(), [s_a, s_b]));
    }

    [Fact]
    public void ReverseOnlyChecksPassTheFirstAndSecondDerivatives()
    {
        var reverseOnly = new CheckOptions { ReverseModeOnly = true };

        var first = GradCheck.Run(xs => new CountedProduct().Apply(xs[0], xs[1]), [s_a, s_b], reverseOnly);
        var second = GradGradCheck.Run(xs => new CountedProduct().Apply(xs[0], xs[1]).Square().Sum(), [s_a, s_b], reverseOnly);

        Assert.True(first.Passed, first.ToString());
        Assert.Equal(2 * 3 * 3, first.ComparedCount);
        Assert.True(second.Passed, second.ToString());
        Assert.Equal(6 * 6, second.ComparedCount);
    }

    [Fact]
    public void ReverseOnlyChecksStillCatchASavedTensorThatASecondDerivativeMustSeeMove()
    {
        var wrong = GradCheck.Run(x => new SavedConstantSquare().Apply(x), s_a, new CheckOptions { ReverseModeOnly = true });
        var wrongSecond = GradGradCheck.Run(x => new SavedConstantSquare().Apply(x).Sum(), s_a, new CheckOptions { ReverseModeOnly = true });
        Assert.True(wrong.Passed, wrong.ToString());
        Assert.False(wrongSecond.Passed);
    }

    /// <summary>x², whose backward uses a saved 2x even when differentiated again: first derivatives right, second zero.</summary>
    private sealed class SavedConstantSquare() : CustomOperation<double>("SavedConstantSquare")
    {
        protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs)
        {
            SaveForBackward(2.0 * inputs[0]);
            return inputs[0].Square();
        }

        protected override IReadOnlyList<Tensor<double>?> Backward(CustomBackward<double> context) => [context.OutputGradient * context.Saved[0]];
    }

    [Fact]
    public void TheCustomLayerNormMatchesTheCompositeInValueAndGradients()
    {
        var random = new RandomSource(4);
        var x = random.Normal<double>([3, 5]);
        var gamma = random.Normal<double>([5]);
        var beta = random.Normal<double>([5]);
        var layerNorm = new CustomLayerNorm<double>();

        var custom = AutoDiff.ValueAndGradients(xs => (layerNorm.Apply(xs) * xs[0]).Sum(), [x, gamma, beta]);
        var composite = AutoDiff.ValueAndGradients(xs => (CustomLayerNorm<double>.Composite(xs[0], xs[1], xs[2]) * xs[0]).Sum(), [x, gamma, beta]);

        Assert.Equal(composite.Value.ToScalar(), custom.Value.ToScalar(), 1e-12);
        for (int i = 0; i < 3; i++)
        {
            Assert.All(custom.Gradients[i].ToArray().Zip(composite.Gradients[i].ToArray()), pair => Assert.Equal(pair.Second, pair.First, 1e-12));
        }
    }

    [Fact]
    public void TheCustomLayerNormPassesReverseOnlyChecksOfBothOrders()
    {
        var random = new RandomSource(5);
        Tensor<double>[] inputs = [random.Normal<double>([2, 4]), random.Normal<double>([4]), random.Normal<double>([4])];
        var reverseOnly = new CheckOptions { ReverseModeOnly = true };
        var layerNorm = new CustomLayerNorm<double>();

        var first = GradCheck.Run(xs => layerNorm.Apply(xs), inputs, reverseOnly);
        var second = GradGradCheck.Run(xs => layerNorm.Apply(xs), inputs, reverseOnly);

        Assert.True(first.Passed, first.ToString());
        Assert.True(second.Passed, second.ToString());
    }
}
