using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Functional;

/// <summary>
/// Extreme inputs: log-sum-exp, softmax, sigmoid and the cross-entropies must give finite, correct values and
/// gradients where the naive formulas overflow, and the documented results for rows of −∞. Expectations are derived
/// by hand in each test.
/// </summary>
public sealed class NumericalStabilityTests
{
    private static readonly double Ln2 = Math.Log(2);

    [Fact]
    public void LogSumExpOfLargeEqualValuesIsValuePlusLnTwo()
    {
        var x = Tensor.FromArray([1000.0, 1000.0]).RequireGrad();
        var y = x.LogSumExp();
        y.Backward();
        Assert.Equal(1000 + Ln2, y.ToScalar(), 1e-12);
        // The gradient is exp(x − y) with y = 1000 + ln 2 rounded (error ≤ ½ ulp(1000) ≈ 5.7e-14), so it is ½ to within 0.5 · 5.7e-14.
        ElementwiseComparison.Require("∂LogSumExp/∂x", x.Grad!.Data, [0.5, 0.5], new Tolerance(3e-14, 0));

        var inFloat = Tensor.FromArray([1000f, 1000f]).LogSumExp().ToScalar();
        Assert.Equal(1000 + Ln2, inFloat, 6.2e-5); // one float ulp at 1000 is 6.1e-5
    }

    [Fact]
    public void RowsFarApartEachGetTheirOwnLogSumExp()
    {
        var x = Tensor.FromArray([0.0, 0.0, -200.0, -200.0, 1000.0, -1000.0], 3, 2).RequireGrad();
        var y = x.LogSumExp(1);
        y.Sum().Backward();
        // Row 3: log(e¹⁰⁰⁰ + e⁻¹⁰⁰⁰) = 1000 + log(1 + e⁻²⁰⁰⁰) = 1000 exactly in double.
        ElementwiseComparison.Require("LogSumExp rows", y.Data, [Ln2, -200 + Ln2, 1000], new Tolerance(0, 1e-15));
        ElementwiseComparison.Require("LogSumExp gradient", x.Grad!.Data, [0.5, 0.5, 0.5, 0.5, 1, 0], new Tolerance(1e-15, 0));
    }

    [Fact]
    public void SigmoidSaturatesToExactlyZeroAndOneWithZeroGradient()
    {
        var x = Tensor.FromArray([-1000.0, 1000.0]).RequireGrad();
        var y = x.Sigmoid();
        y.Sum().Backward();
        Assert.Equal(new[] { 0.0, 1.0 }, y.ToArray());
        Assert.Equal(new[] { 0.0, 0.0 }, x.Grad!.ToArray());
        Assert.Equal(new[] { 0f, 1f }, Tensor.FromArray([-1000f, 1000f]).Sigmoid().ToArray());
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxOfHugeLogitsAreFiniteAndCorrect()
    {
        var x = Tensor.FromArray([1e4, -1e4, 0.0]).RequireGrad();
        var softmax = x.Softmax();
        Assert.Equal(new[] { 1.0, 0.0, 0.0 }, softmax.ToArray());
        Assert.Equal(new[] { 0.0, -2e4, -1e4 }, x.LogSoftmax().ToArray());
        // ∂(Σ c ⊙ softmax)/∂x = y ⊙ (c − ⟨c, y⟩) = 0 when y is one-hot.
        softmax.Backward(Tensor.FromArray([1.0, 2.0, 3.0]));
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void CrossEntropyAtHugeLogitsIsFiniteWithSoftmaxMinusOneHotGradient()
    {
        var logits = Tensor.FromArray([1e4, -1e4, 1e4, -1e4], 2, 2).RequireGrad();
        var loss = Loss.CrossEntropy(logits, [0, 1], Reduction.Sum);
        loss.Backward();
        // Example 0 is confidently right (loss 0); example 1 confidently wrong: logsumexp − z₁ = 1e4 − (−1e4) = 2e4.
        Assert.Equal(2e4, loss.ToScalar());
        Assert.Equal(new[] { 0.0, 0.0, 1.0, -1.0 }, logits.Grad!.ToArray());

        var inFloat = Loss.CrossEntropy(Tensor.FromArray([1e4f, -1e4f], 1, 2), [1], Reduction.Sum);
        Assert.Equal(2e4f, inFloat.ToScalar());
    }

    [Fact]
    public void BinaryCrossEntropyWithHugeLogitsIsFinite()
    {
        var logits = Tensor.FromArray([1e4, -1e4, 1e4]).RequireGrad();
        var targets = Tensor.FromArray([1.0, 1.0, 0.0]);
        var loss = Loss.BinaryCrossEntropyWithLogits(logits, targets, Reduction.Sum);
        loss.Backward();
        // softplus(z) − t·z: 1e4 − 1e4 = 0; 0 + 1e4; 1e4 − 0. Gradient σ(z) − t: 0, −1, 1.
        Assert.Equal(2e4, loss.ToScalar());
        Assert.Equal(new[] { 0.0, -1.0, 1.0 }, logits.Grad!.ToArray());
    }

    [Fact]
    public void AllNegativeInfinityRowHasTheDocumentedBehaviour()
    {
        double ninf = double.NegativeInfinity;
        var x = Tensor.FromArray([ninf, ninf, 1.0, 2.0, ninf, 0.0], 3, 2).RequireGrad();
        var lse = x.LogSumExp(1);
        lse.Sum().Backward();
        // Row 0: −∞ with zero gradient. Row 1: ordinary. Row 2: the −∞ entry has weight e⁻∞ = 0.
        double e1 = Math.Exp(1), e2 = Math.Exp(2);
        Assert.Equal(ninf, lse[0]);
        Assert.Equal(Math.Log(e1 + e2), lse[1], 1e-15);
        Assert.Equal(0.0, lse[2]);
        ElementwiseComparison.Require("LogSumExp gradient with a −∞ row", x.Grad!.Data, [0, 0, e1 / (e1 + e2), e2 / (e1 + e2), 0, 1], new Tolerance(1e-15, 0));

        var allNegativeInfinity = Tensor.FromArray([ninf, ninf]);
        Assert.All(allNegativeInfinity.Softmax().ToArray(), value => Assert.True(double.IsNaN(value)));
        Assert.All(allNegativeInfinity.LogSoftmax().ToArray(), value => Assert.True(double.IsNaN(value)));
    }

    [Fact]
    public void QuotientReciprocalAndRsqrtGradientsStayOrdinaryWhereTheDenominatorsSquareDoesNot()
    {
        // L = c·x/y with x = 1, y = c = 10³⁰⁴: ∂L/∂y = −c·x/y² = −10⁻³⁰⁴ although y² overflows; ∂L/∂x = c/y = 1.
        double c = 1e304;
        var (_, quotient) = AutoDiff.ValueAndGradients(v => v[0] / v[1] * c, [Tensor.Scalar(1.0), Tensor.Scalar(c)]);
        Assert.Equal(1.0, quotient[0].ToScalar());
        Assert.Equal(-1e-304, quotient[1].ToScalar(), 1e-318);

        // L = c/x at x = 10³⁰⁴: −c/x² = −10⁻³⁰⁴ (y² = 10⁻⁶⁰⁸ underflows); L = c/√x at x = 10³⁰⁰, c = 10³⁰⁰: −½·c·x^(−3/2) = −5·10⁻¹⁵¹.
        var (_, reciprocal) = AutoDiff.ValueAndGradients(v => v[0].Reciprocal() * c, [Tensor.Scalar(c)]);
        Assert.Equal(-1e-304, reciprocal[0].ToScalar(), 1e-318);
        var (_, rsqrt) = AutoDiff.ValueAndGradients(v => v[0].Rsqrt() * 1e300, [Tensor.Scalar(1e300)]);
        Assert.Equal(-5e-151, rsqrt[0].ToScalar(), 1e-165);

        // In float from y = 10²⁰ (y² = 10⁴⁰ overflows): ∂(x/y)/∂y = −x/y² = −10⁻²⁰ at x = y.
        var (_, single) = AutoDiff.ValueAndGradients(v => v[0] / v[1], [Tensor.Scalar(1e20f), Tensor.Scalar(1e20f)]);
        Assert.Equal(-1e-20f, single[1].ToScalar(), 1e-26f);
    }

    [Theory]
    [InlineData(HessianVectorMethod.ForwardOverReverse)]
    [InlineData(HessianVectorMethod.ReverseOverReverse)]
    public void SecondDerivativeOfALogOfAHugeExponentialIsZero(HessianVectorMethod method)
    {
        // log(eᵘ) = u, so f″ = 0, and log(softplus(eᵘ − 1) + ½) = u + O(e⁻ᵘ) likewise; at u = 700 (eᵘ ≈ 10³⁰⁴) and 640 the
        // backward passes through 1/eᵘ times eᵘ, whose squares and cubes leave double's range.
        var logOfExp = AutoDiff.HessianVectorProduct(v => v[0].Exp().Log(), [Tensor.Scalar(700.0)], [Tensor.Scalar(1.0)], method);
        Assert.Equal(0.0, logOfExp[0].ToScalar());
        var softened = AutoDiff.HessianVectorProduct(v => (v[0].Expm1().Softplus() + 0.5).Log(), [Tensor.Scalar(640.0)], [Tensor.Scalar(1.0)], method);
        Assert.Equal(0.0, softened[0].ToScalar());
    }

    [Fact]
    public void SoftmaxLogSoftmaxAndCrossEntropyStayExactWhereLogSumExpRoundsToTheLogits()
    {
        // Two equal logits of 10²¹: logsumexp = 10²¹ + ln 2 rounds to 10²¹ (an ulp there is 2¹⁸), yet the log-softmax
        // is −ln 2 each, the softmax ½ each, the cross-entropy ln 2 and its gradient softmax − one-hot = (−½, ½).
        var equal = Tensor.FromArray([1e21, 1e21], 1, 2).RequireGrad();
        ElementwiseComparison.Require("LogSoftmax", equal.LogSoftmax(1).Data, [-Ln2, -Ln2], new Tolerance(1e-16, 0));
        ElementwiseComparison.Require("Softmax", equal.Softmax(1).Data, [0.5, 0.5], new Tolerance(1e-16, 0));
        var loss = Loss.CrossEntropy(equal, [0]);
        loss.Backward();
        Assert.Equal(Ln2, loss.ToScalar(), 1e-15);
        ElementwiseComparison.Require("∂CrossEntropy/∂logits", equal.Grad!.Data, [-0.5, 0.5], new Tolerance(1e-16, 0));

        // With label smoothing 0.2 (targets 0.9, 0.1) and with target probabilities, the same row gives ln 2 as well.
        Assert.Equal(Ln2, Loss.CrossEntropy(equal.Detach(), [0], labelSmoothing: 0.2).ToScalar(), 1e-15);
        Assert.Equal(Ln2, Loss.CrossEntropy(equal.Detach(), Tensor.FromArray([0.25, 0.75], 1, 2)).ToScalar(), 1e-15);

        // In float, logits 10⁸ and 10⁸ + 8 (an ulp apart): log-softmax (−log(1 + e⁸), −log(1 + e⁻⁸)).
        var apart = Tensor.FromArray([1e8f, 1e8f + 8f], 1, 2);
        double high = -Math.Log(1 + Math.Exp(-8.0));
        ElementwiseComparison.Require("float LogSoftmax", apart.LogSoftmax(1).Data.ToArray().Select(v => (double)v).ToArray(), [high - 8, high], new Tolerance(1e-6, 0));
    }

    [Theory]
    [InlineData(HessianVectorMethod.ForwardOverReverse)]
    [InlineData(HessianVectorMethod.ReverseOverReverse)]
    public void LogSumExpDerivativesUseItsExactValueWhereTheRoundedOneDropsTheLogarithm(HessianVectorMethod method)
    {
        // logsumexp(10²¹, 10²¹) = 10²¹ + ln 2 rounds to 10²¹; its gradient is the softmax (½, ½) and its Hessian
        // diag(p) − p·pᵀ, so H·(1, 0) = (¼, −¼). Along the last axis (the row kernel) and along the first (the general path).
        var (row, rowGradient) = AutoDiff.ValueAndGradients(v => v[0].LogSumExp(1).Sum(), [Tensor.FromArray([1e21, 1e21], 1, 2)]);
        Assert.Equal(1e21, row.ToScalar());
        ElementwiseComparison.Require("∂LogSumExp/∂x, last axis", rowGradient[0].Data, [0.5, 0.5], new Tolerance(1e-16, 0));
        var (_, columnGradient) = AutoDiff.ValueAndGradients(v => v[0].LogSumExp(0).Sum(), [Tensor.FromArray([1e21, 1e21], 2, 1)]);
        ElementwiseComparison.Require("∂LogSumExp/∂x, first axis", columnGradient[0].Data, [0.5, 0.5], new Tolerance(1e-16, 0));
        var (_, single) = AutoDiff.ValueAndGradients(v => v[0].LogSumExp(), [Tensor.FromArray([1e8f, 1e8f])]);
        Assert.Equal(new[] { 0.5f, 0.5f }, single[0].ToArray());

        var curvature = AutoDiff.HessianVectorProduct(v => v[0].LogSumExp(1).Sum(), [Tensor.FromArray([1e21, 1e21], 1, 2)], [Tensor.FromArray([1.0, 0.0], 1, 2)], method);
        ElementwiseComparison.Require("H·v of LogSumExp", curvature[0].Data, [0.25, -0.25], new Tolerance(1e-16, 0));
    }

    [Theory]
    [InlineData(HessianVectorMethod.ForwardOverReverse)]
    [InlineData(HessianVectorMethod.ReverseOverReverse)]
    public void LogSumExpOfOneHugeValueLeavesTheSecondDerivativeOfWhatItWraps(HessianVectorMethod method)
    {
        // logsumexp over a slice of one element is that element, so f = logsumexp(√x) = √x and f″ = −¼·x^(−3/2), here at
        // x = 10³⁰ (√x = 10¹⁵): −2.5·10⁻⁴⁶. The log-sum-exp's own second derivative is 0 there, as a difference of two
        // terms of size 1/√x; kept apart they lost the answer's last digits to rounding (1.4% at 10³⁰, doubled it at 10³⁴).
        var curvature = AutoDiff.HessianVectorProduct(v => v[0].Sqrt().LogSumExp([0], keepDims: true).Sum(), [Tensor.FromArray([1e30])], [Tensor.FromArray([1.0])], method);
        Assert.Equal(-2.5e-46, curvature[0].ToScalar(), 1e-60);
    }

    [Theory]
    [InlineData(HessianVectorMethod.ForwardOverReverse)]
    [InlineData(HessianVectorMethod.ReverseOverReverse)]
    public void GaussianDensitiesOfAHugeArgumentHaveZeroCurvatureNotNaN(HessianVectorMethod method)
    {
        // Φ(eᵘ) and erf(eᵘ) at u = 385 (eᵘ ≈ 10¹⁶⁷, whose square overflows): both flat at 1, so H·v = 0. Their densities
        // e^(−x²/2) and e^(−x²) underflow to 0; their tangents used to be 0 times an infinite slope, NaN.
        foreach (var function in new Func<Tensor<double>[], Tensor<double>>[] { v => v[0].Exp().NormalCdf().Sum(), v => v[0].Exp().Erf().Sum() })
        {
            var curvature = AutoDiff.HessianVectorProduct(function, [Tensor.FromArray([385.0])], [Tensor.FromArray([1.0])], method);
            Assert.Equal(0.0, curvature[0].ToScalar());
        }

        // A NaN argument still gives a NaN gradient.
        var (_, gradient) = AutoDiff.ValueAndGradients(v => v[0].NormalCdf().Sum(), [Tensor.FromArray([double.NaN])]);
        Assert.True(double.IsNaN(gradient[0].ToScalar()));
    }

    [Theory]
    [InlineData(HessianVectorMethod.ForwardOverReverse, false)]
    [InlineData(HessianVectorMethod.ReverseOverReverse, false)]
    [InlineData(HessianVectorMethod.ForwardOverReverse, true)]
    [InlineData(HessianVectorMethod.ReverseOverReverse, true)]
    public void SaturatedAttentionKeepsTheRelativeAccuracyOfItsDerivatives(HessianVectorMethod method, bool masked)
    {
        // One query q against keys (1, 0) with values (a, b), scale 1: the weights are (σ(q), σ(−q)), so
        // f(q) = b + (a − b)·σ(q), f′ = (a − b)·σ(q)·σ(−q) and f″ = −(a − b)·σ(q)·σ(−q)·tanh(q/2). At q = 25 the second
        // weight is 1.4·10⁻¹¹; forming the softmax's Jacobian as w ⊙ (v − Σ v·w) lost up to ε/σ(−q) ≈ 10⁻⁵ of relative
        // accuracy to the rounding of the heavy entry (the gradient came out 4·10⁻⁶ too large). The fused node (no mask)
        // and the masked softmax (a mask of ones).
        const double q = 25, a = 2, b = -1;
        double weight = 1 / (1 + Math.Exp(-q)), light = 1 / (1 + Math.Exp(q));
        double slope = (a - b) * weight * light, curvature = -(a - b) * weight * light * Math.Tanh(q / 2);
        var mask = masked ? Tensor.FromArray([1.0, 1.0], 1, 1, 2) : null;
        Tensor<double> Attention(Tensor<double>[] x) =>
            Tensor.ScaledDotProductAttention(x[0], Tensor.FromArray([1.0, 0.0], 1, 2, 1), Tensor.FromArray([a, b], 1, 2, 1), mask, scale: 1).Sum();
        Tensor<double>[] at = [Tensor.FromArray([q], 1, 1, 1)];

        var (_, gradient) = AutoDiff.ValueAndGradients(Attention, at);
        Assert.Equal(slope, gradient[0].ToScalar(), 1e-13 * Math.Abs(slope));
        var product = AutoDiff.HessianVectorProduct(Attention, at, [Tensor.FromArray([1.0], 1, 1, 1)], method);
        Assert.Equal(curvature, product[0].ToScalar(), 1e-13 * Math.Abs(curvature));
    }

    [Theory]
    [InlineData(HessianVectorMethod.ForwardOverReverse)]
    [InlineData(HessianVectorMethod.ReverseOverReverse)]
    public void BinaryCrossEntropyAtALargeLogitWithATargetNearOneKeepsItsRelativeAccuracy(HessianVectorMethod method)
    {
        // z = 30 against t = σ(26) (1 − t ≈ 5·10⁻¹²): L = softplus(z) − t·z = 30·(1 − t) + log1p(e⁻³⁰), ∂L/∂z =
        // σ(30) − t = (1 − t) − σ(−30) and ∂²L/∂z² = σ(30)·σ(−30), with 1 − t exact in double. Formed as
        // softplus(z) − t·z, two terms of size 30 leaving 1.5·10⁻¹⁰, the value came out 5·10⁻⁶ too small.
        const double z = 30;
        double t = 1 / (1 + Math.Exp(-26)), rest = 1 - t, light = 1 / (1 + Math.Exp(z));
        // log1p(u) for u = e⁻³⁰ as u − u²/2 (the next term is 10⁻⁴⁰): Math.Log(1 + u) would round 1 + u first.
        double u = Math.Exp(-z), value = (z * rest) + (u - (u * u / 2)), slope = rest - light, curvature = (1 - light) * light;
        Tensor<double> CrossEntropyOf(Tensor<double>[] x) => TinyAutograd.Loss.BinaryCrossEntropyWithLogits(x[0], Tensor.FromArray([t]), Reduction.Sum);
        Tensor<double>[] at = [Tensor.FromArray([z])];

        var (loss, gradient) = AutoDiff.ValueAndGradients(CrossEntropyOf, at);
        Assert.Equal(value, loss.ToScalar(), 1e-13 * value);
        Assert.Equal(slope, gradient[0].ToScalar(), 1e-13 * slope);
        var product = AutoDiff.HessianVectorProduct(CrossEntropyOf, at, [Tensor.FromArray([1.0])], method);
        Assert.Equal(curvature, product[0].ToScalar(), 1e-13 * curvature);
        var (_, tangent) = AutoDiff.Jvp(CrossEntropyOf, at, [Tensor.FromArray([1.0])]);
        Assert.Equal(slope, tangent.ToScalar(), 1e-13 * slope);
    }
}
