using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Differentiation;

namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// An unrecorded backward runs chains of pointwise ops (every elementwise op: sums, differences, products, quotients,
/// scalar arithmetic and the one-input ops) on gradients of 4096 elements or more one cache-sized block of
/// elements at a time. These tests use tensors of many blocks with ragged last blocks (and some below that size), and
/// mix in ops that end a chain (broadcasting, reductions): the result must be the hand-derived gradient, and bit for
/// bit what the recorded, op-by-op backward gives, for every way a gradient can leave a chain (a leaf's Grad, a
/// requested tensor, an op outside the chain).
/// </summary>
public sealed class PointwiseRegionTests
{
    /// <summary>∂/∂x Σ [σ(x)·x + e⁻ˣ] = σ(x) + x·σ(x)(1 − σ(x)) − e⁻ˣ, the peer benchmark's expression, in double.</summary>
    private static double HandGradient(double x)
    {
        double s = 1 / (1 + Math.Exp(-x));
        return s + x * s * (1 - s) - Math.Exp(-x);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(12_345)]
    public void A_whole_chain_over_many_blocks_gives_the_hand_derived_gradient(int length)
    {
        var x = new RandomSource(3).Uniform<double>([length], -4, 4).RequireGrad();
        (x.Sigmoid() * x + (-x).Exp()).Backward(Tensor.Ones<double>(length));
        var values = x.ToArray();
        var gradient = x.Grad!.ToArray();
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(HandGradient(values[i]), gradient[i], 1e-13);
        }
    }

    /// <summary>Above 4 MB the gradient leaving the chain is written with streaming stores; the bits must not change.</summary>
    [Fact]
    public void A_gradient_large_enough_to_be_streamed_matches_the_recorded_backward_bit_for_bit()
    {
        int length = (1 << 20) + 37;
        var x = new RandomSource(5).Uniform<float>([length], -4, 4).RequireGrad();
        var seed = new RandomSource(6).Uniform<float>([length], -1, 1);
        var fused = AutoDiff.Gradients(x.Sigmoid() * x + (-x).Exp(), [x], seed)[0];
        var recorded = AutoDiff.Gradients(x.Sigmoid() * x + (-x).Exp(), [x], seed, createGraph: true)[0];
        Assert.Equal(recorded.ToArray(), fused.ToArray());
    }

    [Fact]
    public void Gradients_already_held_by_a_leaf_are_added_to_and_not_written()
    {
        int length = 9001;
        var x = new RandomSource(7).Uniform<double>([length], -3, 3).RequireGrad();
        var earlier = new RandomSource(8).Uniform<double>([length], -1, 1);
        var kept = earlier.ToArray();
        x.Grad = earlier;
        (x.Tanh() * x - x.Relu()).Sum().Backward();
        Assert.Equal(kept, earlier.ToArray());
        var values = x.ToArray();
        for (int i = 0; i < length; i++)
        {
            double t = Math.Tanh(values[i]);
            double expected = kept[i] + t + values[i] * (1 - t * t) - (values[i] > 0 ? 1 : 0);
            Assert.Equal(expected, x.Grad!.ToArray()[i], 1e-13);
        }
    }

    /// <summary>
    /// Random expressions over short and long tensors in which every step reuses earlier results (so many gradients are
    /// sums of several contributions), some through ops that end a chain; the gradients with respect to the input, a
    /// broadcast scale and one intermediate tensor all equal the recorded backward's bit for bit.
    /// </summary>
    [Fact]
    public void Random_chains_cut_by_other_ops_agree_bit_for_bit_with_the_recorded_backward()
    {
        var property = Prop.ForAll(
            Gen.Choose(1, 1_000_000).ToArbitrary(),
            Gen.OneOf(Gen.Choose(1, 9), Gen.Choose(1, 16_000)).ToArbitrary(),
            (seed, length) =>
            {
                var fused = Gradients(seed, length, createGraph: false);
                var recorded = Gradients(seed, length, createGraph: true);
                for (int k = 0; k < fused.Length; k++)
                {
                    Assert.Equal(recorded[k].ToArray(), fused[k].ToArray());
                }
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), property);
    }

    /// <summary>Each elementwise op on 4096 + 37 elements, in a chain with a product: fused and recorded agree bit for bit.</summary>
    [Theory]
    [MemberData(nameof(StepNames))]
    public void Every_elementwise_op_agrees_bit_for_bit_with_the_recorded_backward(string name)
    {
        var step = Steps.Single(s => s.Name == name);
        int length = 4096 + 37;
        var x = new RandomSource(11).Uniform<double>([length], -2, 2).RequireGrad();
        var other = new RandomSource(12).Uniform<double>([length], -2, 2).RequireGrad();
        var scale = Tensor.FromArray([0.75]).RequireGrad();
        var weights = new RandomSource(13).Uniform<double>([length], -1, 1);
        Tensor<double>[] Differentiate(bool createGraph) =>
            AutoDiff.Gradients((step.Apply(x, other, scale) * weights).Sum(), [x, other, scale], createGraph: createGraph);
        var fused = Differentiate(createGraph: false);
        var recorded = Differentiate(createGraph: true);
        for (int k = 0; k < fused.Length; k++)
        {
            Assert.Equal(recorded[k].ToArray(), fused[k].ToArray());
        }
    }

    /// <summary>
    /// Sums pass their gradient on unchanged, and the chain reads it where it is instead of copying it: through sums of
    /// sums (a member's gradient taken from another member's, itself the root's), and not where the sum's output gets a
    /// second contribution (its gradient is then a new sum). Hand-derived gradient and recorded bits.
    /// </summary>
    [Theory]
    [InlineData(4096)]
    [InlineData(20_011)]
    public void Gradients_passed_on_by_sums_are_read_in_place_and_still_exact(int length)
    {
        var x = new RandomSource(21).Uniform<double>([length], -2, 2).RequireGrad();
        var seed = new RandomSource(22).Uniform<double>([length], -1, 1);
        Tensor<double> Expression()
        {
            var sum = x.Exp() + x.Sin();
            return (sum + x.Tanh()) + (sum * 0.5 - 1.0) * sum;
        }
        var fused = AutoDiff.Gradients(Expression(), [x], seed)[0].ToArray();
        var recorded = AutoDiff.Gradients(Expression(), [x], seed, createGraph: true)[0].ToArray();
        Assert.Equal(recorded, fused);
        var (values, g) = (x.ToArray(), seed.ToArray());
        for (int i = 0; i < length; i++)
        {
            double v = values[i], t = Math.Tanh(v), sum = Math.Exp(v) + Math.Sin(v);
            double expected = g[i] * ((Math.Exp(v) + Math.Cos(v)) * (1 + sum - 1) + 1 - t * t);
            Assert.Equal(expected, fused[i], 1e-12 * (1 + Math.Abs(expected)));
        }
    }

    /// <summary>
    /// u + sin(u) with u = eˣ: the sum's share reaches u first, unchanged, and sin's is added to it after, so u's gradient
    /// must be a sum of its own, not the root's read in place: eˣ·(1 + cos eˣ), and the recorded bits.
    /// </summary>
    [Fact]
    public void A_gradient_passed_on_first_and_added_to_later_is_summed_in_its_own_block()
    {
        int length = 10_007;
        var x = new RandomSource(23).Uniform<double>([length], -2, 2).RequireGrad();
        var seed = new RandomSource(24).Uniform<double>([length], -1, 1);
        Tensor<double> Expression()
        {
            var u = x.Exp();
            return u + u.Sin();
        }
        var fused = AutoDiff.Gradients(Expression(), [x], seed)[0].ToArray();
        Assert.Equal(AutoDiff.Gradients(Expression(), [x], seed, createGraph: true)[0].ToArray(), fused);
        var (values, g) = (x.ToArray(), seed.ToArray());
        for (int i = 0; i < length; i++)
        {
            double u = Math.Exp(values[i]);
            Assert.Equal(g[i] * u * (1 + Math.Cos(u)), fused[i], 1e-12 * (1 + u));
        }
    }

    /// <summary>Which partials are g itself comes from each rule's statement: both of a sum's, the left of a difference,
    /// x + c's; not a product's, a negation's, x·c's or relu's.</summary>
    [Fact]
    public void Only_partials_that_are_the_gradient_itself_pass_it_on()
    {
        var (a, b) = (Tensor.FromArray([1.0, 2.0]).RequireGrad(), Tensor.FromArray([3.0, 4.0]).RequireGrad());
        static bool[] Passes(Tensor<double> result)
        {
            var node = (PointwiseNode<double>)result.Producer!;
            return [.. Enumerable.Range(0, node.InputCount).Select(node.PassesGradient)];
        }
        Assert.Equal([true, true], Passes(a + b));
        Assert.Equal([true, false], Passes(a - b));
        Assert.Equal([false, false], Passes(a * b));
        Assert.Equal([true], Passes(a + 2.0));
        Assert.Equal([false], Passes(-a));
        Assert.Equal([false], Passes(a * 2.0));
        Assert.Equal([false], Passes(a.Relu()));
    }

    public static TheoryData<string> StepNames => [.. Steps.Select(s => s.Name)];

    /// <summary>
    /// The steps of the random chains: every elementwise op (inputs shifted or squared into its domain), the scalar
    /// arithmetic, a broadcast product and a reduction that ends a chain.
    /// </summary>
    private static readonly (string Name, Func<Tensor<double>, Tensor<double>, Tensor<double>, Tensor<double>> Apply)[] Steps =
    [
        ("Add", (a, b, scale) => a + b),
        ("Subtract", (a, b, scale) => a - b),
        ("Multiply", (a, b, scale) => a * b),
        ("Divide", (a, b, scale) => a / (b.Square() + 1.0)),
        ("Exp", (a, b, scale) => (a * 0.25).Exp()),
        ("Negate", (a, b, scale) => -a),
        ("Sigmoid", (a, b, scale) => a.Sigmoid()),
        ("Tanh", (a, b, scale) => a.Tanh()),
        ("Relu", (a, b, scale) => a.Relu()),
        ("BroadcastProduct", (a, b, scale) => a * scale),
        ("SumThenSubtract", (a, b, scale) => a - a.Sum(0, keepDims: true) * 0.001),
        ("Log", (a, b, scale) => (a.Square() + 1.0).Log()),
        ("SqrtThenDivideScalar", (a, b, scale) => (a.Square() + 0.5).Sqrt() / 3.0),
        ("Reciprocal", (a, b, scale) => (b.Square() + 1.0).Reciprocal() - a),
        ("ScalarAddAndScale", (a, b, scale) => 0.5 + (2.0 * a).Tanh()),
        ("TanhTimes", (a, b, scale) => (a * 0.5).Tanh() * b),
        ("Abs", (a, b, scale) => a.Abs()),
        ("Softplus", (a, b, scale) => a.Softplus()),
        ("Sin", (a, b, scale) => a.Sin()),
        ("Cos", (a, b, scale) => a.Cos()),
        ("Erf", (a, b, scale) => a.Erf()),
        ("Gelu", (a, b, scale) => a.Gelu()),
        ("GeluTanh", (a, b, scale) => a.Gelu(GeluApproximation.Tanh)),
        ("Silu", (a, b, scale) => a.Silu()),
        ("LeakyRelu", (a, b, scale) => a.LeakyRelu(0.1)),
        ("Log1p", (a, b, scale) => a.Square().Log1p()),
        ("Expm1", (a, b, scale) => (a * 0.25).Expm1()),
        ("Rsqrt", (a, b, scale) => (a.Square() + 0.5).Rsqrt()),
        ("Clamp", (a, b, scale) => a.Clamp(-0.5, 0.7)),
    ];

    /// <summary>The same random expression and the same requested tensors, differentiated fused or recorded.</summary>
    private static Tensor<double>[] Gradients(int seed, int length, bool createGraph)
    {
        var random = new RandomSource((ulong)seed);
        var x = random.Uniform<double>([length], -2, 2).RequireGrad();
        var scale = random.Uniform<double>([1], 0.5, 1.5).RequireGrad();
        var pool = new List<Tensor<double>> { x };
        for (int step = 0; step < 14; step++)
        {
            var a = pool[(int)(random.NextDouble() * pool.Count)];
            var b = pool[(int)(random.NextDouble() * pool.Count)];
            pool.Add(Steps[(int)(random.NextDouble() * Steps.Length)].Apply(a, b, scale));
        }
        var total = pool[^1];
        for (int i = 1; i < pool.Count - 1; i++)
        {
            total = total + pool[i];
        }
        var requested = pool[1 + (int)(random.NextDouble() * (pool.Count - 1))];
        return AutoDiff.Gradients((total * total).Sum(), [x, scale, requested], createGraph: createGraph);
    }
}
