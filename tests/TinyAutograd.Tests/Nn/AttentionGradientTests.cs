using TinyAutograd.Kernels;
using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Nn;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Nn;

/// <summary>
/// Scaled dot-product attention and MultiheadAttention: gradients of the inputs and parameters against central finite
/// differences, and the second-order and forward-mode properties (H·v included), in double on small random shapes with
/// random masks (fully masked rows included) and the causal flag.
/// </summary>
public sealed class AttentionGradientTests
{
    private const int Cases = 10;
    private static readonly Tolerance GradientTolerance = new(1e-7, 1e-6);

    /// <summary>
    /// The exact identities as tight as for any op (forward-over-reverse equals reverse-over-reverse to 10⁻¹⁰, symmetry,
    /// linearity, adjoint); the finite-difference comparisons of H·v and J·v a hundred times looser, since a difference
    /// of the gradient through four projections, two products and a softmax carries third-derivative error that grows
    /// with the logits: 2·10⁻⁵ relative (|Δ| = 5·10⁻⁴ on an element of 24.4) was seen on a causal, padded case whose
    /// logits reach about ±20. A wrong second-order rule is off by O(1) relative, far beyond either bound.
    /// </summary>
    private static readonly SecondOrderTolerances SecondOrderTolerance = SecondOrderTolerances.Standard with
    {
        HessianVsDifferences = new Tolerance(1e-5, 1e-4),
        JvpVsDifferences = new Tolerance(1e-5, 1e-4),
    };

    /// <summary>A 0/1 mask of <paramref name="shape"/>; each entry is 0 with probability 1/3, so rows with no allowed key occur.</summary>
    private static Gen<Tensor<double>> MaskOf(params int[] shape) =>
        TensorGen.Of(new Shape(shape), Gen.Elements(0.0, 1.0, 1.0));

    private static Gen<OpCase> FunctionCases =>
        from batch in Gen.Choose(1, 2)
        from queries in Gen.Choose(1, 3)
        from keys in Gen.Choose(1, 3)
        from depth in Gen.Choose(1, 3)
        from valueDepth in Gen.Choose(1, 2)
        from causal in Gen.Elements(false, true)
        from masked in Gen.Elements(false, true)
        from mask in MaskOf(queries, keys)
        from q in TensorGen.Of(new Shape(batch, queries, depth), Values.General)
        from k in TensorGen.Of(new Shape(batch, keys, depth), Values.General)
        from v in TensorGen.Of(new Shape(batch, keys, valueDepth), Values.General)
        from opCase in OpCase.Of(
            $"ScaledDotProductAttention causal={causal} masked={masked}",
            xs => Tensor.ScaledDotProductAttention(xs[0], xs[1], xs[2], masked ? mask : null, causal),
            q, k, v)
        select opCase;

    /// <summary>
    /// Without a mask, over more queries than one block of the fused node (24 rows), so later blocks reach more keys
    /// than earlier ones under causal masking; keys fewer or more than queries.
    /// </summary>
    private static Gen<OpCase> LongCases =>
        from queries in Gen.Choose(33, 70)
        from keys in Gen.Choose(1, 70)
        from depth in Gen.Choose(1, 2)
        from causal in Gen.Elements(false, true)
        from q in TensorGen.Of(new Shape(1, queries, depth), Values.General)
        from k in TensorGen.Of(new Shape(1, keys, depth), Values.General)
        from v in TensorGen.Of(new Shape(1, keys, 2), Values.General)
        from opCase in OpCase.Of($"ScaledDotProductAttention causal={causal}", xs => Tensor.ScaledDotProductAttention(xs[0], xs[1], xs[2], null, causal), q, k, v)
        select opCase;

    private static Gen<OpCase> ModuleCases =>
        from heads in Gen.Choose(1, 2)
        from headSize in Gen.Choose(1, 2)
        from batch in Gen.Choose(1, 2)
        from length in Gen.Choose(1, 3)
        from causal in Gen.Elements(false, true)
        from padded in Gen.Elements(false, true)
        from padding in TensorGen.Of(new Shape(batch, length), Gen.Elements(0.0, 0.0, 1.0))
        from seed in Gen.Choose(0, 1000)
        let layer = new MultiheadAttention<double>(heads * headSize, heads, new RandomSource((ulong)seed))
        from x in TensorGen.Of(new Shape(batch, length, heads * headSize), Values.General)
        from parameters in Gen.CollectToArray(layer.Parameters().Select(p => TensorGen.Of(p.Shape, Values.Weight)))
        from opCase in OpCase.Of(
            $"{layer.Description} causal={causal} padded={padded}",
            xs => layer.WithParameters(xs[1..], () => layer.Forward(xs[0], padded ? padding : null, causal)),
            [x, .. parameters])
        select opCase;

    /// <summary>
    /// Self-attention without padding over sequences of more than one block of the fused node's rows (24), so that it
    /// attends over the packed projections block by block. Inputs within ±1.5 rather than ±3: with a softmax over up to
    /// 40 keys, the logits of the wider range made the central difference of the gradient itself miss H·v by 3·10⁻⁴
    /// relative (the unpacked path gave the same H·v to every digit).
    /// </summary>
    private static Gen<OpCase> LongModuleCases =>
        from heads in Gen.Choose(1, 2)
        from length in Gen.Choose(25, 40)
        from causal in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1000)
        let layer = new MultiheadAttention<double>(2 * heads, heads, new RandomSource((ulong)seed))
        from x in TensorGen.Of(new Shape(1, length, 2 * heads), Values.Weight)
        from parameters in Gen.CollectToArray(layer.Parameters().Select(p => TensorGen.Of(p.Shape, Values.Weight)))
        from opCase in OpCase.Of($"{layer.Description} causal={causal}", xs => layer.WithParameters(xs[1..], () => layer.Forward(xs[0], null, causal)), [x, .. parameters])
        select opCase;

    public static TheoryData<string> Forms => ["ScaledDotProductAttention", "ScaledDotProductAttention long", "MultiheadAttention", "MultiheadAttention long"];

    [Theory]
    [MemberData(nameof(Forms))]
    public void GradientsMatchFiniteDifferences(string form) =>
        Properties.GradientMatchesFiniteDifferences(CasesOf(form), GradientTolerance, Cases);

    [Theory]
    [MemberData(nameof(Forms))]
    public void SecondOrderAndForwardModeHold(string form) =>
        Properties.SecondOrderHolds(CasesOf(form), SecondOrderTolerance, Cases);

    /// <summary>
    /// The plain backward of masked attention, whose softmax rows go through one fused sweep, gives the bits of the
    /// recorded backward (createGraph), whose rows are tensor ops: rows of up to 33 keys, so that the sums run in vector
    /// registers with their own order of additions.
    /// </summary>
    [Fact]
    public void PlainBackwardEqualsRecorded()
    {
        var random = new RandomSource(7);
        foreach (var (keys, causal) in new[] { (33, false), (9, true) })
        {
            var q = random.Normal<double>([2, 5, 4]).RequireGrad();
            var k = random.Normal<double>([2, keys, 4]).RequireGrad();
            var v = random.Normal<double>([2, keys, 3]).RequireGrad();
            var mask = random.Uniform<double>([5, keys], 0, 1).Greater(Tensor.Scalar(0.3));
            var (plain, recorded) = PlainAndRecorded(q, k, v, mask, causal, random);
            for (int i = 0; i < 3; i++)
            {
                Assert.True(plain[i].Data.SequenceEqual(recorded[i].Data), $"keys {keys}, causal {causal}: operand {i}'s plain gradient differs from the recorded one.");
            }
        }
    }

    /// <summary>
    /// Without a mask, the fused node's plain backward (block by block over the saved weights, the scale folded into the
    /// exponent) agrees with its recorded backward (tensor ops over recomputed weights) to 10⁻¹³ of the largest gradient
    /// entry: 70 and 100 queries (three and five blocks of rows), against 70 keys and 45 (fewer than the queries, so the
    /// causal rows past them see every key); and 45 queries against 80 keys (the causal keys past the last query seen by
    /// none, their gradients 0).
    /// </summary>
    [Fact]
    public void FusedPlainBackwardAgreesWithRecorded()
    {
        var random = new RandomSource(8);
        foreach (var (queries, keys, causal) in new[] { (70, 70, true), (100, 45, true), (45, 80, true), (70, 70, false) })
        {
            AssertPlainBackwardAgreesWithRecorded(queries, keys, causal, random);
        }
    }

    /// <summary>
    /// As <see cref="FusedPlainBackwardAgreesWithRecorded"/>, with more keys and queries than one depth block of the
    /// product kernel holds (<see cref="Gemm.PacksInOneDepthBlock{T}"/>), so that each block packs its own window of
    /// v, k, the output gradient and q instead of reading it from the head's packed whole.
    /// </summary>
    [Fact]
    public void PlainBackwardPastOneDepthBlockAgreesWithRecorded()
    {
        var random = new RandomSource(9);
        int length = AttentionReferenceTests.PastOneDepthBlock;
        AssertPlainBackwardAgreesWithRecorded(length, length, causal: true, random);
        AssertPlainBackwardAgreesWithRecorded(length, length + 9, causal: false, random);
    }

    private static void AssertPlainBackwardAgreesWithRecorded(int queries, int keys, bool causal, RandomSource random)
    {
        var q = random.Normal<double>([2, 3, queries, 4]).RequireGrad();
        var k = random.Normal<double>([2, 3, keys, 4]).RequireGrad();
        var v = random.Normal<double>([2, 3, keys, 5]).RequireGrad();
        var (plain, recorded) = PlainAndRecorded(q, k, v, null, causal, random);
        for (int i = 0; i < 3; i++)
        {
            double scale = recorded[i].ToArray().Max(Math.Abs);
            var (a, b) = (plain[i].ToArray(), recorded[i].ToArray());
            for (int j = 0; j < a.Length; j++)
            {
                Assert.True(Math.Abs(a[j] - b[j]) <= 1e-13 * scale, $"{queries} queries, {keys} keys, causal {causal}: operand {i} element {j}: plain {a[j]:R}, recorded {b[j]:R}.");
            }
        }
    }

    /// <summary>
    /// Self-attention over the packed projections (one product x·W_inᵀ + b_in, heads taken in place) gives the values and
    /// the gradients, plain and recorded, of the layer's formula written out: three projections of x by the row blocks of
    /// in_proj, their heads split by reshape and permute, <see cref="Tensor.ScaledDotProductAttention{T}"/>, the heads
    /// merged, out_proj; to 10⁻¹² of the largest entry (the input gradient sums its three parts in another order). Two
    /// sequences of 50 (three blocks of rows), three heads of 4.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SelfAttentionOverPackedProjectionsMatchesTheFormulaWrittenOut(bool causal)
    {
        var random = new RandomSource(11);
        var layer = new MultiheadAttention<double>(12, 3, random);
        foreach (var parameter in layer.Parameters())
        {
            Init.Uniform(parameter, -0.5, 0.5, random);
        }
        var x = random.Normal<double>([2, 50, 12]).RequireGrad();
        var weights = random.Uniform<double>([2, 50, 12], 0.5, 1.5);
        var inputs = (Tensor<double>[])[x, .. layer.Parameters()];

        Tensor<double> WrittenOut()
        {
            var (w, b) = (layer.InProjectionWeight, layer.InProjectionBias!);
            Tensor<double> Heads(int block) =>
                (x.MatMul(w.Slice(0, 12 * block, 12), transposeRight: true) + b.Slice(0, 12 * block, 12)).Reshape(2, 50, 3, 4).Permute(0, 2, 1, 3);
            var heads = Tensor.ScaledDotProductAttention(Heads(0), Heads(1), Heads(2), null, causal);
            return layer.OutProjection.Forward(heads.Permute(0, 2, 1, 3).Reshape(2, 50, 12));
        }

        foreach (bool createGraph in new[] { false, true })
        {
            var actual = layer.Forward(x, causal: causal);
            var expected = WrittenOut();
            AssertClose(expected, actual, "output");
            var actualGradients = AutoDiff.Gradients((actual * weights).Sum(), inputs, createGraph: createGraph);
            var expectedGradients = AutoDiff.Gradients((expected * weights).Sum(), inputs, createGraph: createGraph);
            for (int i = 0; i < inputs.Length; i++)
            {
                AssertClose(expectedGradients[i], actualGradients[i], $"createGraph {createGraph}: gradient {i}");
            }
        }

        static void AssertClose(Tensor<double> expected, Tensor<double> actual, string what)
        {
            var (e, a) = (expected.ToArray(), actual.ToArray());
            double scale = e.Max(Math.Abs);
            for (int j = 0; j < e.Length; j++)
            {
                Assert.True(Math.Abs(e[j] - a[j]) <= 1e-12 * scale, $"{what}, element {j}: expected {e[j]:R}, got {a[j]:R}.");
            }
        }
    }

    /// <summary>The gradients of Σ w ⊙ attention(q, k, v) for random w, without and with createGraph.</summary>
    private static (Tensor<double>[] Plain, Tensor<double>[] Recorded) PlainAndRecorded(Tensor<double> q, Tensor<double> k, Tensor<double> v, Tensor<double>? mask, bool causal, RandomSource random)
    {
        var weights = random.Uniform<double>([.. q.Shape.Dimensions[..^1].ToArray(), v.Shape[^1]], 0.5, 1.5);
        Tensor<double>[] Gradients(bool createGraph) =>
            AutoDiff.Gradients((Tensor.ScaledDotProductAttention(q, k, v, mask, causal) * weights).Sum(), [q, k, v], createGraph: createGraph);
        return (Gradients(createGraph: false), Gradients(createGraph: true));
    }

    private static Gen<OpCase> CasesOf(string form) => form switch
    {
        "ScaledDotProductAttention" => FunctionCases,
        "ScaledDotProductAttention long" => LongCases,
        "MultiheadAttention" => ModuleCases,
        "MultiheadAttention long" => LongModuleCases,
        _ => throw new ArgumentException($"No cases for {form}.", nameof(form)),
    };
}
