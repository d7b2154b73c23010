namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// A tensor read through several slices (an LSTM's gates, the time steps of a sequence) collects each slice's gradient
/// in place, added into the covered elements only, instead of as a zero-padded copy of the whole tensor. These tests
/// check the result against the hand-derived gradient, against the recorded (unfused) rules bit for bit, and that no
/// gradient the caller can see is written.
/// </summary>
public sealed class SliceAccumulationTests
{
    /// <summary>x of shape [3, 8] read as overlapping column slices and row slices: L = Σ wₖ ⊙ sliceₖ(x)² + Σ x.</summary>
    private static Tensor<double> SlicedUses(Tensor<double> x)
    {
        var loss = x.Sum();
        loss += (x.Slice(1, 0, 4).Square() * 0.5).Sum();
        loss += (x.Slice(1, 2, 5) * 3.0).Sum();
        loss += (x.Slice(0, 1, 2).Exp()).Sum();
        loss += (x.Slice(1, 7, 1) * x.Slice(1, 6, 1)).Sum();
        return loss;
    }

    /// <summary>∂L/∂x[i, j] = 1 + [j &lt; 4]·x + [2 ≤ j &lt; 7]·3 + [1 ≤ i &lt; 3]·eˣ + [j = 7]·x[i, 6] + [j = 6]·x[i, 7].</summary>
    private static double[] HandGradient(double[] x)
    {
        var gradient = new double[x.Length];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                double v = x[i * 8 + j];
                gradient[i * 8 + j] = 1 + (j < 4 ? v : 0) + (j is >= 2 and < 7 ? 3 : 0) + (i >= 1 ? Math.Exp(v) : 0)
                    + (j == 7 ? x[i * 8 + 6] : 0) + (j == 6 ? x[i * 8 + 7] : 0);
            }
        }
        return gradient;
    }

    private static double[] Values(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 24).Select(_ => random.NextDouble() * 4 - 2)];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Slices_of_a_leaf_add_their_shares_of_the_hand_derived_gradient(int seed)
    {
        var values = Values(seed);
        var x = Tensor.FromArray(values, 3, 8).RequireGrad();
        SlicedUses(x).Backward();
        var expected = HandGradient(values);
        var actual = x.Grad!.ToArray();
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], actual[k], 1e-12);
        }
    }

    [Fact]
    public void Slices_of_an_intermediate_result_give_the_same_bits_as_the_recorded_rules()
    {
        var x = Tensor.FromArray(Values(3), 3, 8).RequireGrad();
        Tensor<double> Loss() => SlicedUses(x.Tanh() * 2.0);
        var fused = AutoDiff.Gradients(Loss(), [x])[0];
        var unfused = AutoDiff.Gradients(Loss(), [x], createGraph: true)[0];
        Assert.Equal(unfused.ToArray(), fused.ToArray());
    }

    [Fact]
    public void A_gradient_the_caller_set_before_the_backward_is_not_written()
    {
        var values = Values(4);
        var x = Tensor.FromArray(values, 3, 8).RequireGrad();
        var earlier = Tensor.FromArray(Enumerable.Repeat(0.5, 24).ToArray(), 3, 8);
        x.Grad = earlier;
        SlicedUses(x).Backward();
        Assert.All(earlier.ToArray(), value => Assert.Equal(0.5, value));
        var expected = HandGradient(values);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(0.5 + expected[k], x.Grad!.ToArray()[k], 1e-12);
        }
    }

    [Fact]
    public void A_slice_gradient_that_is_also_requested_is_not_written_through()
    {
        // y is requested and also read through slices: the gradient handed back for y must be its own, complete one,
        // and the slices' in-place additions must not reach a tensor the caller holds.
        var x = Tensor.FromArray(Values(5), 3, 8).RequireGrad();
        var y = x * 1.5;
        var loss = (y.Slice(1, 0, 4) * 2.0).Sum() + y.Sum() + (y.Slice(1, 3, 5).Square()).Sum();
        var gradients = AutoDiff.Gradients(loss, [y, x]);
        var yValues = y.ToArray();
        for (int k = 0; k < 24; k++)
        {
            int j = k % 8;
            double dy = 1 + (j < 4 ? 2 : 0) + (j >= 3 ? 2 * yValues[k] : 0);
            Assert.Equal(dy, gradients[0].ToArray()[k], 1e-12);
            Assert.Equal(1.5 * dy, gradients[1].ToArray()[k], 1e-12);
        }
    }
}
