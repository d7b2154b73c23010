using TinyAutograd.Nn;
using TinyAutograd.Profiling;

namespace TinyAutograd.Tests.Profiling;

/// <summary>The FLOP counts of the products and the convolution against their formulas, counted by hand here.</summary>
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
