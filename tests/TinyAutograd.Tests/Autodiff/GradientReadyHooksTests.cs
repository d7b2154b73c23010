namespace TinyAutograd.Tests.Autodiff;

public sealed class GradientReadyHooksTests
{
    [Fact]
    public void Each_hook_runs_once_during_backward_with_the_leafs_final_gradient_last_layer_first()
    {
        var random = new RandomSource(3);
        var input = random.Normal<double>([5, 4]);
        var first = random.Normal<double>([4, 6]).RequireGrad();
        var bias = random.Normal<double>([6]).RequireGrad();
        var second = random.Normal<double>([6, 2]).RequireGrad();
        var seen = new List<(string Name, double[] Gradient, bool FirstLayerDone)>();
        foreach (var (name, leaf) in new[] { ("first", first), ("bias", bias), ("second", second) })
        {
            GradientReadyHooks.Add(leaf, l => seen.Add((name, l.Grad!.ToArray(), first.Grad is not null)));
        }

        Tensor.MatMul((Tensor.MatMul(input, first) + bias).Tanh(), second).Sum().Backward();

        // Walk order: sum, second matmul, tanh, add (last user of bias), first matmul (last user of first).
        Assert.Equal(["second", "bias", "first"], seen.Select(s => s.Name).ToArray());
        Assert.False(seen[0].FirstLayerDone, "the last layer's hook ran only after the first layer's gradient existed");
        Assert.Equal(second.Grad!.ToArray(), seen.Single(s => s.Name == "second").Gradient);
        Assert.Equal(bias.Grad!.ToArray(), seen.Single(s => s.Name == "bias").Gradient);
        Assert.Equal(first.Grad!.ToArray(), seen.Single(s => s.Name == "first").Gradient);
    }

    [Fact]
    public void A_leaf_used_by_several_operations_is_reported_once_with_the_sum_of_their_contributions()
    {
        var x = Tensor.FromArray([1.0, -2.0, 3.0]).RequireGrad();
        var a = Tensor.FromArray([2.0, 5.0, -1.0]);
        double[]? seen = null;
        int calls = 0;
        GradientReadyHooks.Add(x, leaf => { calls++; seen = leaf.Grad!.ToArray(); });

        ((x * a).Sum() + x.Square().Sum() + (x * 3.0).Sum()).Backward();

        Assert.Equal(1, calls);
        // ∂/∂x [Σ a·x + Σ x² + Σ 3x] = a + 2x + 3
        Assert.Equal([2.0 + 2 + 3, 5.0 - 4 + 3, -1.0 + 6 + 3], seen!);
    }

    [Fact]
    public void A_long_fused_pointwise_chain_reports_the_final_gradient()
    {
        var x = new RandomSource(9).Normal<double>([6000]).RequireGrad();
        double[]? seen = null;
        GradientReadyHooks.Add(x, leaf => seen = leaf.Grad!.ToArray());

        ((x.Sigmoid() * x) + x.Exp()).Sum().Backward();

        // d/dx [σ(x)·x + eˣ] = σ(x)(1 + x(1 − σ(x))) + eˣ
        var expected = x.ToArray().Select(v => 1 / (1 + Math.Exp(-v))).Zip(x.ToArray(), (s, v) => s * (1 + v * (1 - s)) + Math.Exp(v)).ToArray();
        Assert.Equal(expected.Length, seen!.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], seen[i], 1e-12);
        }
    }

    [Fact]
    public void Hooks_run_on_every_backward_not_for_gradient_functions_and_stop_once_removed()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        int calls = 0;
        void Count(Tensor<double> _) => calls++;
        GradientReadyHooks.Add(x, Count);

        (x * x).Sum().Backward();
        (x * x).Sum().Backward();
        _ = AutoDiff.Gradients((x * x).Sum(), [x]);
        Assert.Equal(2, calls);

        Assert.True(GradientReadyHooks.Remove(x, Count));
        Assert.False(GradientReadyHooks.Remove(x, Count));
        (x * x).Sum().Backward();
        Assert.Equal(2, calls);
    }

    [Fact]
    public void Only_leaves_that_require_grad_take_hooks()
    {
        var x = Tensor.FromArray([1.0]).RequireGrad();

        var recorded = Assert.Throws<ArgumentException>(() => GradientReadyHooks.Add(x * 2.0, _ => { }));
        var constant = Assert.Throws<ArgumentException>(() => GradientReadyHooks.Add(Tensor.FromArray([1.0]), _ => { }));

        Assert.Contains("result of a recorded operation", recorded.Message, StringComparison.Ordinal);
        Assert.Contains("does not require grad", constant.Message, StringComparison.Ordinal);
    }
}
