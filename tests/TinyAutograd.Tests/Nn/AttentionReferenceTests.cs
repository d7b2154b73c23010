using TinyAutograd.Kernels;
using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>
/// MultiheadAttention and scaled dot-product attention against a naive reference written with plain loops over doubles
/// (per batch, head and query: projections, scores, masked softmax, weighted sum, output projection); the convention
/// for queries that see no key; PyTorch's names, layouts and initialization; and the shape errors.
/// </summary>
public sealed class AttentionReferenceTests
{
    private const int Embed = 6;
    private const int Heads = 2;

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatchesNaiveLoops(bool causal, bool padded)
    {
        var random = new RandomSource(11);
        var layer = new MultiheadAttention<double>(Embed, Heads, random);
        // Non-zero biases, so that the reference checks where they enter.
        var parameters = layer.Parameters().Select(p => random.Uniform<double>(p.Shape.ToArray(), -1, 1)).ToArray();
        var x = random.Uniform<double>([2, 4, Embed], -2, 2);
        // Batch 1 pads its last two keys; with the causal flag, its query 0 still sees key 0.
        var padding = Tensor.FromArray(new double[] { 0, 0, 0, 0, 0, 0, 1, 1 }, 2, 4);
        var actual = layer.WithParameters(parameters, () => layer.Forward(x, padded ? padding : null, causal));
        var expected = NaiveAttention(x.ToArray(), 2, 4, parameters.Select(p => p.ToArray()).ToArray(), padded ? padding.ToArray() : null, causal);
        AssertClose(expected, actual.ToArray(), 1e-12);
    }

    [Fact]
    public void QueryThatSeesNoKeyGetsZeroWeights()
    {
        var random = new RandomSource(3);
        var q = random.Uniform<double>([1, 2, 3], -1, 1);
        var k = random.Uniform<double>([1, 2, 3], -1, 1).RequireGrad();
        var v = random.Uniform<double>([1, 2, 2], -1, 1).RequireGrad();
        var mask = Tensor.FromArray(new double[] { 0, 0, 1, 0 }, 2, 2);
        var y = Tensor.ScaledDotProductAttention(q, k, v, mask);
        var values = y.ToArray();
        Assert.Equal([0, 0], values[..2]);
        Assert.Equal(v.ToArray()[..2], values[2..]);
        y.Sum().Backward();
        Assert.All(k.Grad!.ToArray(), g => Assert.True(double.IsFinite(g)));
        Assert.Equal([1, 1, 0, 0], v.Grad!.ToArray());
    }

    [Fact]
    public void ModuleOutputForQueryThatSeesNoKeyIsTheOutputBias()
    {
        var random = new RandomSource(5);
        var layer = new MultiheadAttention<double>(4, 2, random);
        var bias = random.Uniform<double>([4], -1, 1);
        var parameters = layer.Parameters().Select(p => p.Shape.Rank == 1 && p.Length == 4 ? bias : p).ToArray();
        var y = layer.WithParameters(parameters, () => layer.Forward(random.Uniform<double>([1, 2, 4], -1, 1), Tensor.FromArray(new double[] { 1, 1 }, 1, 2)));
        Assert.Equal([.. bias.ToArray(), .. bias.ToArray()], y.ToArray());
    }

    /// <summary>
    /// The first sequence length whose keys do not fit in one depth block of the product kernel in double
    /// (<see cref="Gemm.PacksInOneDepthBlock{T}"/>), plus a few: past it, attention packs v and k for each block's
    /// products instead of once per head.
    /// </summary>
    internal static int PastOneDepthBlock
    {
        get
        {
            int length = 1;
            while (Gemm.PacksInOneDepthBlock<double>(length))
            {
                length++;
            }
            return length + 5;
        }
    }

    /// <summary>The layer over a sequence longer than one depth block (<see cref="PastOneDepthBlock"/>), against the loops.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatchesNaiveLoopsPastOneDepthBlock(bool causal)
    {
        var random = new RandomSource(12);
        var layer = new MultiheadAttention<double>(Embed, Heads, random);
        var parameters = layer.Parameters().Select(p => random.Uniform<double>(p.Shape.ToArray(), -1, 1)).ToArray();
        int length = PastOneDepthBlock;
        var x = random.Uniform<double>([1, length, Embed], -2, 2);
        var actual = layer.WithParameters(parameters, () => layer.Forward(x, null, causal));
        var expected = NaiveAttention(x.ToArray(), 1, length, parameters.Select(p => p.ToArray()).ToArray(), null, causal);
        AssertClose(expected, actual.ToArray(), 1e-12);
    }

    [Fact]
    public void FunctionMatchesSoftmaxOfScaledScores()
    {
        var random = new RandomSource(8);
        var q = random.Uniform<double>([3, 4], -1, 1);
        var k = random.Uniform<double>([5, 4], -1, 1);
        var v = random.Uniform<double>([5, 2], -1, 1);
        var y = Tensor.ScaledDotProductAttention(q, k, v, causal: true).ToArray();
        var (qs, ks, vs) = (q.ToArray(), k.ToArray(), v.ToArray());
        var expected = new double[6];
        for (int i = 0; i < 3; i++)
        {
            var scores = Enumerable.Range(0, i + 1).Select(j => Enumerable.Range(0, 4).Sum(c => qs[i * 4 + c] * ks[j * 4 + c]) / 2).ToArray();
            double max = scores.Max();
            double total = scores.Sum(s => Math.Exp(s - max));
            for (int j = 0; j <= i; j++)
            {
                for (int c = 0; c < 2; c++)
                {
                    expected[i * 2 + c] += Math.Exp(scores[j] - max) / total * vs[j * 2 + c];
                }
            }
        }
        AssertClose(expected, y, 1e-12);
    }

    /// <summary>
    /// No queries: an empty output and zero gradients. No coordinates per query: every score is 0, so each query
    /// averages the values it may see (here all ones).
    /// </summary>
    [Fact]
    public void EmptyQueriesAndEmptyDepthAreHandled()
    {
        var q = Tensor.Zeros<double>(2, 0, 4).RequireGrad();
        var k = Tensor.Ones<double>(2, 5, 4).RequireGrad();
        var v = Tensor.Ones<double>(2, 5, 3).RequireGrad();
        var y = Tensor.ScaledDotProductAttention(q, k, v, causal: true);
        Assert.Equal([2, 0, 3], y.Shape.ToArray());
        var gradients = AutoDiff.Gradients(y.Sum(), [q, k, v]);
        Assert.All(gradients, g => Assert.All(g.ToArray(), e => Assert.Equal(0.0, e)));

        var flat = Tensor.ScaledDotProductAttention(Tensor.Zeros<double>(2, 3, 0), Tensor.Zeros<double>(2, 5, 0), v, causal: true);
        Assert.Equal([2, 3, 3], flat.Shape.ToArray());
        Assert.All(flat.ToArray(), e => Assert.Equal(1.0, e, 15));
    }

    [Fact]
    public void HasPyTorchNamesLayoutsAndInitialization()
    {
        var layer = new MultiheadAttention<double>(8, 2, new RandomSource(1));
        var shapes = layer.NamedParameters().ToDictionary(pair => pair.Key, pair => pair.Value.Shape.ToArray());
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], shapes.Keys);
        Assert.Equal([24, 8], shapes["in_proj_weight"]);
        Assert.Equal([24], shapes["in_proj_bias"]);
        Assert.Equal([8, 8], shapes["out_proj.weight"]);
        Assert.All(layer.InProjectionBias!.ToArray(), b => Assert.Equal(0, b));
        Assert.All(layer.OutProjection.Bias!.ToArray(), b => Assert.Equal(0, b));
        double xavier = Math.Sqrt(6.0 / (8 + 24));
        var weights = layer.InProjectionWeight.ToArray();
        Assert.All(weights, w => Assert.InRange(w, -xavier, xavier));
        Assert.True(weights.Max() > 0.8 * xavier && weights.Min() < -0.8 * xavier);
    }

    [Fact]
    public void FloatMatchesDouble()
    {
        var x = new RandomSource(4).Uniform<double>([2, 3, Embed], -1, 1);
        var expected = new MultiheadAttention<double>(Embed, Heads, new RandomSource(9)).Forward(x, causal: true).ToArray();
        var xf = Tensor.FromArray(x.ToArray().Select(v => (float)v).ToArray(), 2, 3, Embed);
        var actual = new MultiheadAttention<float>(Embed, Heads, new RandomSource(9)).Forward(xf, causal: true).ToArray();
        AssertClose(expected, [.. actual.Select(v => (double)v)], 1e-5);
    }

    [Fact]
    public void ShapeErrorsNamePathConfigurationAndShapes()
    {
        var attention = new MultiheadAttention<double>(8, 2, new RandomSource(1));
        var holder = new Holder(attention);
        var error = Assert.Throws<ArgumentException>(() => attention.Forward(Tensor.Zeros<double>(2, 3, 6)));
        Assert.Contains("attention (MultiheadAttention E=8, 2 heads)", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3, 6]", error.Message, StringComparison.Ordinal);
        Assert.Contains("8]", error.Message, StringComparison.Ordinal);
        var padding = Assert.Throws<ArgumentException>(() => attention.Forward(Tensor.Zeros<double>(2, 3, 8), Tensor.Zeros<double>(2, 4)));
        Assert.Contains("expected [2, 3]", padding.Message, StringComparison.Ordinal);
        var function = Assert.Throws<ArgumentException>(() => Tensor.ScaledDotProductAttention(Tensor.Zeros<double>(2, 3), Tensor.Zeros<double>(4, 2), Tensor.Zeros<double>(4, 1)));
        Assert.Contains("ScaledDotProductAttention", function.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", function.Message, StringComparison.Ordinal);
        Assert.Same(attention, holder.Attention);
    }

    private sealed class Holder : Module<double>
    {
        public Holder(MultiheadAttention<double> attention) => Attention = RegisterModule("attention", attention);

        public MultiheadAttention<double> Attention { get; }
    }

    /// <summary>
    /// The layer's output by loops: parameters in the order in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias;
    /// padding non-zero at ignored keys.
    /// </summary>
    private static double[] NaiveAttention(double[] x, int batch, int length, double[][] parameters, double[]? padding, bool causal)
    {
        var (inWeight, inBias, outWeight, outBias) = (parameters[0], parameters[1], parameters[2], parameters[3]);
        int headSize = Embed / Heads;
        // projected[block][b, t, e] = Σ_c x[b, t, c]·W[block·E + e, c] + bias[block·E + e]
        var projected = new double[3, batch, length, Embed];
        for (int block = 0; block < 3; block++)
        {
            for (int b = 0; b < batch; b++)
            {
                for (int t = 0; t < length; t++)
                {
                    for (int e = 0; e < Embed; e++)
                    {
                        int row = block * Embed + e;
                        double sum = inBias[row];
                        for (int c = 0; c < Embed; c++)
                        {
                            sum += x[(b * length + t) * Embed + c] * inWeight[row * Embed + c];
                        }
                        projected[block, b, t, e] = sum;
                    }
                }
            }
        }
        var merged = new double[batch, length, Embed];
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < Heads; h++)
            {
                for (int i = 0; i < length; i++)
                {
                    var weights = new double[length];
                    double max = double.NegativeInfinity;
                    for (int j = 0; j < length; j++)
                    {
                        if ((causal && j > i) || (padding is not null && padding[b * length + j] != 0))
                        {
                            continue;
                        }
                        double score = 0;
                        for (int c = 0; c < headSize; c++)
                        {
                            score += projected[0, b, i, h * headSize + c] * projected[1, b, j, h * headSize + c];
                        }
                        weights[j] = score / Math.Sqrt(headSize);
                        max = Math.Max(max, weights[j]);
                    }
                    double total = 0;
                    for (int j = 0; j < length; j++)
                    {
                        bool allowed = !((causal && j > i) || (padding is not null && padding[b * length + j] != 0));
                        weights[j] = allowed ? Math.Exp(weights[j] - max) : 0;
                        total += weights[j];
                    }
                    for (int j = 0; j < length; j++)
                    {
                        for (int c = 0; c < headSize; c++)
                        {
                            merged[b, i, h * headSize + c] += weights[j] / total * projected[2, b, j, h * headSize + c];
                        }
                    }
                }
            }
        }
        var output = new double[batch * length * Embed];
        for (int r = 0; r < batch * length; r++)
        {
            for (int e = 0; e < Embed; e++)
            {
                double sum = outBias[e];
                for (int c = 0; c < Embed; c++)
                {
                    sum += merged[r / length, r % length, c] * outWeight[e * Embed + c];
                }
                output[r * Embed + e] = sum;
            }
        }
        return output;
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
