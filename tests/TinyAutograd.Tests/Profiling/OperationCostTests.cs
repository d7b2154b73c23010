using TinyAutograd.Nn;
using TinyAutograd.Profiling;

namespace TinyAutograd.Tests.Profiling;

/// <summary>The FLOP counts of the products, the convolution, attention and the LSTM recurrence against their formulas, counted by hand here.</summary>
[Collection(nameof(ProfilerCollection))]
public sealed class OperationCostTests
{
    [Theory]
    [InlineData(3, 5, 4, false, false)]
    [InlineData(3, 5, 4, true, false)]
    [InlineData(6, 2, 7, false, true)]
    [InlineData(4, 4, 4, true, true)]
    public void AMatrixProductCostsTwoMnkForwardAndAsMuchPerOperandThatNeedsAGradient(int m, int k, int n, bool transposeLeft, bool transposeRight)
    {
        var a = Tensor.Normal<double>(transposeLeft ? [k, m] : [m, k], seed: 1).RequireGrad();
        var b = Tensor.Normal<double>(transposeRight ? [n, k] : [k, n], seed: 2);
        long forward = 2L * m * n * k;

        var forwardOnly = Profiler.Profile(() => a.MatMul(b, transposeLeft, transposeRight));
        var withBackward = Profiler.Profile(() => a.MatMul(b, transposeLeft, transposeRight).Sum().Backward());

        var op = forwardOnly.Op("MatMul")!;
        Assert.Equal(forward, op.Flops);
        Assert.Equal((long)(m * k + k * n + m * n) * sizeof(double), op.Bytes);
        Assert.Equal(1, op.Calls);
        // Only a needs a gradient: one more product of the same size, G·op(B)ᵀ.
        Assert.Equal(2 * forward, withBackward.Op("MatMul")!.Flops);
        Assert.Equal(1, withBackward.Op("MatMul")!.BackwardCalls);
    }

    [Fact]
    public void ABatchedProductCostsTwoMnkPerProductOverTheBroadcastBatch()
    {
        var a = Tensor.Normal<float>([2, 1, 3, 5], seed: 1).RequireGrad();
        var b = Tensor.Normal<float>([4, 5, 6], seed: 2).RequireGrad();

        var report = Profiler.Profile(() => a.MatMul(b));

        Assert.Equal(2L * (2 * 4) * 3 * 6 * 5, report.Op("MatMul")!.Flops);
        Assert.Equal("float32", report.Op("MatMul")!.ElementType);
    }

    [Theory]
    [InlineData(1, 1, 0, false)]
    [InlineData(1, 2, 1, false)]
    [InlineData(2, 1, 1, true)]
    public void AConvolutionCostsTwoFlopsPerWeightUsePerOutputPosition(int groups, int stride, int padding, bool bias)
    {
        const int batch = 2, channels = 4, outChannels = 6, height = 7, width = 5, kernel = 3;
        var conv = new Conv2d<double>(channels, outChannels, new Size2d(kernel, kernel), new RandomSource(3), stride: new Size2d(stride, stride),
            padding: padding, groups: groups, bias: bias);
        var x = Tensor.Normal<double>([batch, channels, height, width], seed: 4);
        int outHeight = (height + 2 * padding - kernel) / stride + 1, outWidth = (width + 2 * padding - kernel) / stride + 1;
        long outputs = (long)batch * outChannels * outHeight * outWidth;

        var report = Profiler.Profile(() => conv.Forward(x));

        var op = report.Op("Conv2d")!;
        Assert.Equal(1, op.Calls);
        Assert.Equal(2 * outputs * (channels / groups) * kernel * kernel + (bias ? outputs : 0), op.Flops);
        Assert.DoesNotContain(report.Ops, row => row.Name is "Im2col" or "MatMul");
    }

    /// <summary>
    /// A 3×3 convolution with enough channels for Winograd's kernels costs the direct sum's FLOPs all the same; its
    /// backward, the forward's again for the input and for the weight, and one addition per output for the bias.
    /// </summary>
    [Fact]
    public void AWinogradConvolutionCostsTheDirectSumAndItsBiasGradientOneAdditionPerOutput()
    {
        const int batch = 2, channels = 16, outChannels = 16, size = 6;
        var conv = new Conv2d<double>(channels, outChannels, 3, new RandomSource(5), padding: 1);
        var x = Tensor.Normal<double>([batch, channels, size, size], seed: 6).RequireGrad();
        long outputs = (long)batch * outChannels * size * size;
        long forward = 2 * outputs * channels * 3 * 3 + outputs;

        var report = Profiler.Profile(() => conv.Forward(x).Sum().Backward());

        var op = report.Op("Conv2d")!;
        Assert.Equal(1, op.BackwardCalls);
        Assert.Equal(3 * forward + outputs, op.Flops);
    }

    /// <summary>
    /// Attention without masking forms Lq·Lk weights per head: its score and value products cost 2·Lq·Lk·(d + dv) per head
    /// and its softmax one operation per weight; backward, its four products twice the forward's and one per weight more.
    /// </summary>
    [Fact]
    public void AttentionCostsItsProductsAndOneOperationPerWeight()
    {
        const int heads = 2 * 3, queries = 5, keys = 7, depth = 4, valueSize = 3;
        var q = Tensor.Normal<double>([2, 3, queries, depth], seed: 9).RequireGrad();
        var k = Tensor.Normal<double>([2, 3, keys, depth], seed: 10).RequireGrad();
        var v = Tensor.Normal<double>([2, 3, keys, valueSize], seed: 11).RequireGrad();
        long weights = (long)heads * queries * keys, products = 2 * weights * (depth + valueSize);

        var forwardOnly = Profiler.Profile(() => Tensor.ScaledDotProductAttention(q, k, v));
        var withBackward = Profiler.Profile(() => Tensor.ScaledDotProductAttention(q, k, v).Sum().Backward());

        Assert.Equal(products + weights, forwardOnly.Op("Attention")!.Flops);
        Assert.Equal(products + weights + (2 * products) + weights, withBackward.Op("Attention")!.Flops);
    }

    /// <summary>
    /// With causal masking attention skips products: it costs more than the Lq(Lq + 1)/2 allowed weights per head would and
    /// less than all Lq² (30 queries, more than one block of rows).
    /// </summary>
    [Fact]
    public void CausalAttentionCostsBetweenTheAllowedWeightsAndAllOfThem()
    {
        const int length = 30, depth = 4;
        var q = Tensor.Normal<double>([1, length, depth], seed: 12).RequireGrad();
        var k = Tensor.Normal<double>([1, length, depth], seed: 13).RequireGrad();
        var v = Tensor.Normal<double>([1, length, depth], seed: 14).RequireGrad();
        long perWeight = (2 * (depth + depth)) + 1;

        long? flops = Profiler.Profile(() => Tensor.ScaledDotProductAttention(q, k, v, causal: true)).Op("Attention")!.Flops;

        Assert.NotNull(flops);
        Assert.InRange(flops.Value, perWeight * length * (length + 1) / 2, perWeight * length * length - 1);
    }

    /// <summary>
    /// An LSTM layer over T steps of B rows with H hidden units: its recurrent products cost 2·T·B·4H·H and its cells one
    /// operation per gate pre-activation; backward, the products ds·W_hh and Σ dsᵀ·h twice the forward's, and the cells
    /// as much again.
    /// </summary>
    [Fact]
    public void AnLstmRecurrenceCostsItsRecurrentProductsAndOneOperationPerGate()
    {
        const int steps = 5, batch = 3, input = 4, hidden = 6;
        var lstm = new Lstm<double>(input, hidden, new RandomSource(15));
        var x = Tensor.Normal<double>([steps, batch, input], seed: 16);
        long gates = (long)steps * batch * 4 * hidden, products = 2 * gates * hidden;

        var forwardOnly = Profiler.Profile(() => lstm.Forward(x));
        var withBackward = Profiler.Profile(() => lstm.Forward(x).Output.Sum().Backward());

        Assert.Equal(products + gates, forwardOnly.Op("LSTM")!.Flops);
        Assert.Equal(products + gates + (2 * products) + gates, withBackward.Op("LSTM")!.Flops);
    }

    /// <summary>An inner product of n terms costs n multiplications and n additions, and as much again per operand that needs a gradient.</summary>
    [Fact]
    public void AnInnerProductCostsTwoFlopsPerTerm()
    {
        var a = Tensor.Normal<double>([3, 7], seed: 7).RequireGrad();
        var b = Tensor.Normal<double>([3, 7], seed: 8);

        var report = Profiler.Profile(() => a.Dot(b).Backward());

        Assert.Equal(2 * (2L * 21), report.Op("Dot")!.Flops);
    }
}
