namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// A tensor used several times collects one gradient contribution per use. The backward pass adds the contributions
/// of sums, differences, products and activations in one pass (in place once it owns the sum); these tests check
/// that the result is the hand-derived gradient, bit for bit what the unfused rules give (a recorded backward uses
/// them), and that no tensor the caller can see, nor any gradient still waiting in the walk, is written. Random
/// expressions with heavy reuse are in <see cref="PointwiseRegionTests"/>.
/// </summary>
public sealed class GradientAccumulationTests
{
    private static readonly double[] Values = [-1.5, -0.25, 0.0, 0.75, 2.0];

    private static readonly double[] Weights = [0.5, -2.0, 3.0, 1.25, -0.75];

    /// <summary>L = Σ [x·w + x·x + eˣ − x + σ(x) + tanh(x) + relu(x) + (x − w) + (w − x) + (x + w)], x used by every fused rule.</summary>
    private static Tensor<double> EveryFusedUse(Tensor<double> x, Tensor<double> w) =>
        (x * w + x * x + x.Exp() + (-x) + x.Sigmoid() + x.Tanh() + x.Relu() + (x - w) + (w - x) + (x + w)).Sum();

    /// <summary>∂L/∂x = w + 2x + eˣ − 1 + σ(1 − σ) + 1 − tanh² + [x &gt; 0] + 1 − 1 + 1, in double.</summary>
    private static double HandGradient(double x, double w)
    {
        double s = 1 / (1 + Math.Exp(-x));
        double t = Math.Tanh(x);
        return w + 2 * x + Math.Exp(x) - 1 + s * (1 - s) + (1 - t * t) + (x > 0 ? 1 : 0) + 1;
    }

    [Fact]
    public void Every_fused_rule_adds_its_share_of_the_hand_derived_gradient()
    {
        var x = Tensor.FromArray(Values).RequireGrad();
        var w = Tensor.FromArray(Weights);
        EveryFusedUse(x, w).Backward();
        var actual = x.Grad!.ToArray();
        for (int i = 0; i < Values.Length; i++)
        {
            Assert.Equal(HandGradient(Values[i], Weights[i]), actual[i], 1e-14);
        }
    }

    [Fact]
    public void Fused_accumulation_gives_the_same_bits_as_the_recorded_unfused_rules()
    {
        var x = Tensor.FromArray(Values).RequireGrad();
        var w = Tensor.FromArray(Weights);
        var fused = AutoDiff.Gradients(EveryFusedUse(x, w), [x])[0];
        var unfused = AutoDiff.Gradients(EveryFusedUse(x, w), [x], createGraph: true)[0];
        Assert.Equal(unfused.ToArray(), fused.ToArray());
    }

    [Fact]
    public void A_gradient_the_caller_set_before_the_backward_is_not_written()
    {
        var x = Tensor.FromArray(Values).RequireGrad();
        var earlier = Tensor.FromArray(Weights);
        x.Grad = earlier;
        EveryFusedUse(x, Tensor.FromArray(Weights)).Backward();
        Assert.Equal(Weights, earlier.ToArray());
        for (int i = 0; i < Values.Length; i++)
        {
            Assert.Equal(Weights[i] + HandGradient(Values[i], Weights[i]), x.Grad!.ToArray()[i], 1e-14);
        }
    }

    [Fact]
    public void A_summed_gradient_passed_on_by_an_add_to_two_tensors_is_not_written_through_either()
    {
        // p = a + b with a = eˣ and b = σ(x); p is used three times, so its gradient is a sum the walk owns. The add hands
        // that same tensor to a and to b; a and b are used again, and those contributions must not write into it.
        var x = Tensor.FromArray(Values).RequireGrad();
        var w = Tensor.FromArray(Weights);
        var a = x.Exp();
        var b = x.Sigmoid();
        var p = a + b;
        var loss = (p * w + p * p + p + a * 3.0 + b * w).Sum();
        loss.Backward();
        for (int i = 0; i < Values.Length; i++)
        {
            double ea = Math.Exp(Values[i]), sb = 1 / (1 + Math.Exp(-Values[i])), pv = ea + sb, wi = Weights[i];
            double dp = wi + 2 * pv + 1;
            double expected = (dp + 3) * ea + (dp + wi) * sb * (1 - sb);
            Assert.Equal(expected, x.Grad!.ToArray()[i], 1e-13);
        }
    }

    [Fact]
    public void The_same_tensor_on_both_sides_of_an_add_gets_twice_the_seed_without_touching_the_seed()
    {
        var x = Tensor.FromArray(Values).RequireGrad();
        var seed = Tensor.FromArray(Weights);
        (x + x).Backward(seed);
        Assert.Equal(Weights.Select(v => 2 * v).ToArray(), x.Grad!.ToArray());
        Assert.Equal(Weights, seed.ToArray());
    }
}
