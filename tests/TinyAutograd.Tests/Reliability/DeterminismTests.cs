using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;
using TinyAutograd.Nn;
using TinyAutograd.Optim;
using TinyAutograd.Tests.Testing;
using static TinyAutograd.Tests.Reliability.GemmThreadCountCollection;

namespace TinyAutograd.Tests.Reliability;

/// <summary>The same seed gives the same bits: across runs, with or without buffer recycling, for any GEMM thread count.</summary>
[Collection(GemmThreadCountCollection.Name)]
public sealed class DeterminismTests
{
    [Fact]
    public void TheSameSeedGivesBitIdenticalTraining()
    {
        var first = TinyMlp.TrainedBits(seed: 5, steps: 40);
        var second = TinyMlp.TrainedBits(seed: 5, steps: 40);
        var otherSeed = TinyMlp.TrainedBits(seed: 6, steps: 40);

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void TrainingInsideTensorArenasGivesTheSameBitsAsWithout()
    {
        var plain = TinyMlp.TrainedBits(seed: 9, steps: 40);
        var recycled = TinyMlp.TrainedBits(seed: 9, steps: 40, inArena: true);

        Assert.Equal(plain, recycled);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void GemmGivesTheSameBitsForAnyThreadCount(bool transposeA, bool transposeB)
    {
        const int m = 193, n = 161, k = 517;
        var random = new RandomSource(77);
        var a = random.Uniform<double>([m * k], -1, 1).ToArray();
        var b = random.Uniform<double>([k * n], -1, 1).ToArray();
        var aFloat = a.Select(v => (float)v).ToArray();
        var bFloat = b.Select(v => (float)v).ToArray();
        var initial = random.Uniform<double>([m * n], -1, 1).ToArray();

        var oneThread = WithMaxThreads(1, () => Products(a, b, aFloat, bFloat, initial, m, n, k, transposeA, transposeB));
        var twoThreads = WithMaxThreads(2, () => Products(a, b, aFloat, bFloat, initial, m, n, k, transposeA, transposeB));
        // The caller's share of a two-part split (the last split run) pushed to three quarters, as a slow second core
        // would: other tiles per part.
        for (int i = 0; i < 20; i++)
        {
            SplitBalance.Learn(100, 50, 2, start: 0, callerEnd: 10, othersEnd: 100);
        }
        var unevenThreads = WithMaxThreads(2, () => Products(a, b, aFloat, bFloat, initial, m, n, k, transposeA, transposeB));
        var fiveThreads = WithMaxThreads(5, () => Products(a, b, aFloat, bFloat, initial, m, n, k, transposeA, transposeB));

        Assert.Equal(oneThread, twoThreads);
        Assert.Equal(oneThread, fiveThreads);
        Assert.Equal(oneThread, unevenThreads);
    }

    [Fact]
    public void BatchedMatMulAndItsGradientsGiveTheSameBitsForAnyThreadCount()
    {
        var oneThread = WithMaxThreads(1, MatMulValueAndGradients);
        var twoThreads = WithMaxThreads(2, MatMulValueAndGradients);

        Assert.Equal(oneThread, twoThreads);
    }

    /// <summary>
    /// On two threads a product's two gradients are made side by side, each on a core of its own; their bits are those
    /// of the products made one after the other on one thread, for every pair of transposes, and for a pair as small as
    /// an MLP's last layer (128×256 by 256×10).
    /// </summary>
    [Theory]
    [InlineData(false, false, 260, 300, 220)]
    [InlineData(true, false, 260, 300, 220)]
    [InlineData(false, true, 260, 300, 220)]
    [InlineData(true, true, 260, 300, 220)]
    [InlineData(false, true, 128, 256, 10)]
    public void BothGradientsOfAProductGiveTheSameBitsSideBySideAsOneAfterTheOther(bool transposeLeft, bool transposeRight, int rows, int depth, int columns)
    {
        long[] Gradients()
        {
            var a = Tensor.Normal<float>(transposeLeft ? [depth, rows] : [rows, depth], seed: 3).RequireGrad();
            var b = Tensor.Normal<float>(transposeRight ? [columns, depth] : [depth, columns], seed: 4).RequireGrad();
            (a.MatMul(b, transposeLeft, transposeRight) * Tensor.Normal<float>([rows, columns], seed: 5)).Sum().Backward();
            return [.. a.Grad!.ToArray().Concat(b.Grad!.ToArray()).Select(value => (long)BitConverter.SingleToInt32Bits(value))];
        }

        Assert.Equal(WithMaxThreads(1, Gradients), WithMaxThreads(2, Gradients));
    }

    private static long[] MatMulValueAndGradients()
    {
        var a = Tensor.Normal<double>([3, 130, 200], seed: 1).RequireGrad();
        var b = Tensor.Normal<double>([200, 150], seed: 2).RequireGrad();
        var product = a.MatMul(b);
        product.Square().Sum().Backward();
        return [.. product.ToArray().Concat(a.Grad!.ToArray()).Concat(b.Grad!.ToArray()).Select(BitConverter.DoubleToInt64Bits)];
    }

    /// <summary>C = op(A)·op(B) and C += op(A)·op(B), in double and in float, as raw bits.</summary>
    private static long[] Products(double[] a, double[] b, float[] aFloat, float[] bFloat, double[] initial, int m, int n, int k, bool transposeA, bool transposeB)
    {
        var fresh = new double[m * n];
        Gemm.Multiply<double>(a, transposeA, b, transposeB, fresh, m, n, k);
        var accumulated = (double[])initial.Clone();
        Gemm.Multiply<double>(a, transposeA, b, transposeB, accumulated, m, n, k, accumulate: true);
        var single = new float[m * n];
        Gemm.Multiply<float>(aFloat, transposeA, bFloat, transposeB, single, m, n, k);
        return [.. fresh.Concat(accumulated).Select(BitConverter.DoubleToInt64Bits).Concat(single.Select(v => (long)BitConverter.SingleToInt32Bits(v)))];
    }

    [Fact]
    public void ElementwisePassesAndTheFusedBackwardGiveTheSameBitsForAnyThreadCount()
    {
        // 300 001 elements: several ranges of at least ParallelRanges.MinBytesPerRange each, the last one ragged, in a
        // forward of unary, binary and scalar ops, the block-wise fused backward, and an unfused VJP (x keeps its
        // gradient, so y's backward also runs op by op through g·f′ with create-graph off).
        var x = new RandomSource(3).Uniform<float>([300_001], -2, 2);
        float[][] Pass()
        {
            var leaf = x.Clone().RequireGrad();
            var y = (leaf.Sigmoid() * leaf + (-leaf).Exp()) * 0.5f + leaf.Tanh();
            y.Backward(Tensor.Ones<float>(300_001));
            var (_, vjp) = AutoDiff.Vjp(v => v.Exp() / (v.Square() + 1f), x, Tensor.Ones<float>(300_001));
            return [y.ToArray(), leaf.Grad!.ToArray(), vjp.ToArray()];
        }

        var oneThread = WithMaxThreads(1, Pass);
        var twoThreads = WithMaxThreads(2, Pass);
        var threeThreads = WithMaxThreads(3, Pass);

        Assert.True(WithMaxThreads(2, () => ParallelRanges.Count(300_001, 2 * sizeof(float))) > 1, "the test must reach the split passes");
        for (int i = 0; i < oneThread.Length; i++)
        {
            Assert.Equal(oneThread[i], twoThreads[i]);
            Assert.Equal(oneThread[i], threeThreads[i]);
        }
    }

    [Theory]
    [InlineData(new[] { 64, 32, 10, 10 }, new[] { 32, 1, 1 })]
    [InlineData(new[] { 200, 1, 400 }, new[] { 1, 3, 1 })]
    [InlineData(new[] { 1, 300, 1 }, new[] { 250, 1, 3 })]
    public void BroadcastingBinaryOpsMatchANaiveLoopForAnyThreadCount(int[] leftShape, int[] rightShape)
    {
        // A convolution's bias, an outer product of broadcast axes, and blocks of 3 elements under a broadcast operand:
        // over 200 000 doubles each, so that 2 and 3 threads split the blocks into ranges that start mid-odometer.
        var random = new RandomSource(5);
        var left = random.Uniform<double>(leftShape, -2, 2);
        var right = random.Uniform<double>(rightShape, 0.5, 2);
        var expected = new[]
        {
            Reference.Broadcast(left, right, (a, b) => a - b).ToArray(),
            Reference.Broadcast(left, right, (a, b) => a * b).ToArray(),
            Reference.Broadcast(left, right, (a, b) => a / b).ToArray(),
        };
        double[][] Pass() => [(left - right).ToArray(), (left * right).ToArray(), (left / right).ToArray()];

        Assert.True(WithMaxThreads(2, () => ParallelRanges.Count(expected[0].Length, 3 * sizeof(double))) > 1, "the test must reach the split passes");
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var actual = WithMaxThreads(threads, Pass);
            for (int op = 0; op < expected.Length; op++)
            {
                Assert.Equal(expected[op], actual[op]);
            }
        }
    }

    [Fact]
    public void AxisReductionsGiveTheSameBitsForAnyThreadCount()
    {
        // 64×32×20×20 floats: a convolution's bias gradient (sums over width, height, then batch), a max over the last
        // axis and a sum over channels (rows combined element by element) split their outer index on 2 and 3 threads.
        var x = new RandomSource(10).Uniform<float>([64, 32, 20, 20], -1, 1);
        float[][] Pass() => [x.Sum([0, 2, 3]).ToArray(), x.Max(3).ToArray(), x.Sum(1).ToArray()];

        Assert.True(WithMaxThreads(2, () => ParallelRanges.Worth(64L * 32 * 20 * 20 * sizeof(float), ParallelRanges.MinBytesPerRange, 64 * 32 * 20)) > 1,
            "the test must reach the split reductions");
        var oneThread = WithMaxThreads(1, Pass);
        Assert.Equal(oneThread, WithMaxThreads(2, Pass));
        Assert.Equal(oneThread, WithMaxThreads(3, Pass));
    }

    [Fact]
    public void GradientDescentStepsMatchTheFormulaForAnyThreadCount()
    {
        // 300 001 elements: a step moves 12 bytes of each, so it splits into ranges on 2 and 3 threads.
        var start = new RandomSource(8).Uniform<float>([300_001], -1, 1);
        var gradient = new RandomSource(9).Uniform<float>([300_001], -1, 1);
        float[] Step()
        {
            var parameter = start.Clone().RequireGrad();
            parameter.Grad = gradient.Clone();
            new GradientDescent<float>([parameter], new GradientDescentOptions { LearningRate = 0.1 }).Step();
            return parameter.ToArray();
        }

        var (initial, g) = (start.ToArray(), gradient.ToArray());
        var expected = initial.Select((p, i) => g[i] * -0.1f + p).ToArray();
        Assert.True(WithMaxThreads(2, () => ParallelRanges.Count(300_001, 3 * sizeof(float))) > 1, "the test must reach the split steps");
        foreach (int threads in new[] { 1, 2, 3 })
        {
            Assert.Equal(expected, WithMaxThreads(threads, Step));
        }
    }

    [Theory]
    [InlineData(false, 200_003)]
    [InlineData(true, 200_003)]
    [InlineData(false, 65_536)]
    public void AdamStepsGiveTheSameBitsForAnyThreadCount(bool amsGrad, int length)
    {
        // An Adam step moves 28 bytes of each element (36 with AMSGrad) and weighs its square root and division as 64
        // more, so both lengths split into ranges on 2 and 3 threads (65 536, the MLP's 256×256 weight, only by that weight).
        var start = new RandomSource(6).Uniform<float>([length], -1, 1);
        var gradient = new RandomSource(7).Uniform<float>([length], -1, 1);
        float[] Steps()
        {
            var parameter = start.Clone().RequireGrad();
            var optimizer = new Adam<float>([parameter], new AdamOptions { LearningRate = 0.01, AmsGrad = amsGrad });
            for (int step = 0; step < 3; step++)
            {
                parameter.Grad = (gradient * (step + 1.0f)).Detach();
                optimizer.Step();
            }
            return parameter.ToArray();
        }

        Assert.True(WithMaxThreads(2, () => ParallelRanges.Count(length, (7 * sizeof(float)) + ElementwiseLoops.SpecialFunctionBytes)) > 1, "the test must reach the split steps");
        var oneThread = WithMaxThreads(1, Steps);
        Assert.Equal(oneThread, WithMaxThreads(2, Steps));
        Assert.Equal(oneThread, WithMaxThreads(3, Steps));
        Assert.NotEqual(start.ToArray(), oneThread);
    }

    [Fact]
    public void ConvolutionPoolingAndTheirGradientsGiveTheSameBitsForAnyThreadCount()
    {
        // Batch 16 of 8×16×16 images: im2col, col2im, the batched products and the pooling planes all split over
        // threads, and so do the chunks of the second convolution's Winograd transforms (16 → 32 channels).
        var x = Tensor.Normal<double>([16, 8, 16, 16], seed: 4);
        long[] Pass()
        {
            var random = new RandomSource(5);
            var (conv, winograd) = (new Conv2d<double>(8, 16, 3, random, padding: 1), new Conv2d<double>(16, 32, 3, random, padding: 1));
            var input = x.Clone().RequireGrad();
            var y = new MaxPool2d<double>(2).Forward(winograd.Forward(conv.Forward(input).Relu()).Relu());
            y.Square().Sum().Backward();
            var parameters = conv.Parameters().Concat(winograd.Parameters());
            return [.. y.ToArray().Concat(input.Grad!.ToArray()).Concat(parameters.SelectMany(p => p.Grad!.ToArray())).Select(BitConverter.DoubleToInt64Bits)];
        }

        Assert.Equal(WithMaxThreads(1, Pass), WithMaxThreads(2, Pass));
    }
}
