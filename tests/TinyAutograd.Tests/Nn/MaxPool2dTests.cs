using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Nn;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Nn;

/// <summary>
/// MaxPool2d against a naive loop (values and arg-max), its gradient against finite differences away from ties, PyTorch's
/// tie rule (all of the gradient to the first maximal tap in row-major window order), second order and forward mode,
/// float, and its errors.
/// </summary>
public sealed class MaxPool2dTests
{
    private const int Cases = 16;

    /// <summary>A random pooling: kernel 1–3 per axis, stride 1–3 (or the default), padding up to half the kernel, dilation 1–2, and an image at least as large as the dilated kernel.</summary>
    private static Gen<Pooling> Poolings =>
        from kh in Gen.Choose(1, 3)
        from kw in Gen.Choose(1, 3)
        from defaultStride in Gen.Elements(false, true)
        from sh in Gen.Choose(1, 3)
        from sw in Gen.Choose(1, 3)
        from ph in Gen.Choose(0, kh / 2)
        from pw in Gen.Choose(0, kw / 2)
        from dh in Gen.Choose(1, 2)
        from dw in Gen.Choose(1, 2)
        from batch in Gen.Choose(1, 2)
        from channels in Gen.Choose(1, 2)
        from extraHeight in Gen.Choose(0, 3)
        from extraWidth in Gen.Choose(0, 3)
        select new Pooling(new Size2d(kh, kw), defaultStride ? null : new Size2d(sh, sw), (ph, pw), new Size2d(dh, dw),
            new Shape(batch, channels, dh * (kh - 1) + 1 + extraHeight, dw * (kw - 1) + 1 + extraWidth));

    /// <summary>Pairwise distinct inputs (at least 0.15 apart), so no window ties and finite differences never cross a switch of arg-max.</summary>
    private static Gen<OpCase> DistinctCases(Func<Tensor<double>, Tensor<double>> after) =>
        from pooling in Poolings
        from x in TensorGen.Distinct(pooling.Input)
        let layer = pooling.Layer<double>()
        from opCase in OpCase.Of(layer.Description, xs => after(layer.Forward(xs[0])), x)
        select opCase;

    [Fact]
    public void GradientMatchesFiniteDifferencesAwayFromTies() =>
        Properties.GradientMatchesFiniteDifferences(DistinctCases(y => y), new Tolerance(1e-8, 1e-6), Cases);

    [Fact]
    public void SecondOrderAndForwardModeHold()
    {
        // Pooling alone is piecewise linear (H = 0); squaring after it makes H·v = 2·Sᵀ·S·v, which goes through the
        // scatter's own backward (reverse-over-reverse) and its tangent (forward-over-reverse).
        Properties.SecondOrderHolds(DistinctCases(y => y), SecondOrderTolerances.Standard, Cases);
        Properties.SecondOrderHolds(DistinctCases(y => y.Square()), SecondOrderTolerances.Standard, Cases);
    }

    [Fact]
    public void ValuesMatchANaiveLoop() =>
        Properties.ForAll(Poolings.SelectMany(p => TensorGen.Of(p.Input, Values.General).Select(x => (Pooling: p, X: x))), c =>
        {
            var (values, _) = Naive(c.Pooling, c.X.ToArray());
            var y = c.Pooling.Layer<double>().Forward(c.X);
            Assert.Equal(c.Pooling.Output, y.Shape);
            LayerReferenceTests.AssertClose(values, y.ToArray(), 0);
        }, Cases);

    [Fact]
    public void TiesSendTheWholeGradientToTheFirstMaximalTapInRowMajorOrder() =>
        // Inputs from {0, 1, 2}: most windows tie. Gradient (VJP) and JVP against the naive rule.
        Properties.ForAll(
            from pooling in Poolings
            from x in TensorGen.Of(pooling.Input, Gen.Choose(0, 2).Select(v => (double)v))
            from g in TensorGen.Of(pooling.Output, Values.Weight)
            from v in TensorGen.Of(pooling.Input, Values.Direction)
            select (Pooling: pooling, X: x, G: g, V: v),
            c =>
            {
                var (_, argMax) = Naive(c.Pooling, c.X.ToArray());
                var layer = c.Pooling.Layer<double>();
                var expectedGradient = new double[c.X.Length];
                var gradient = c.G.ToArray();
                var direction = c.V.ToArray();
                for (int w = 0; w < argMax.Length; w++)
                {
                    expectedGradient[argMax[w]] += gradient[w];
                }
                var (_, vjp) = AutoDiff.Vjp(layer.Forward, c.X, c.G);
                LayerReferenceTests.AssertClose(expectedGradient, vjp.ToArray(), 1e-15);
                var (_, jvp) = AutoDiff.Jvp(layer.Forward, c.X, c.V);
                LayerReferenceTests.AssertClose([.. argMax.Select(position => direction[position])], jvp.ToArray(), 0);
            }, Cases);

    [Fact]
    public void ATiedWindowGivesItsGradientToTheTopLeftMostMaximum()
    {
        // One 2×2 window [[1, 3], [3, 2]] and one all-equal window: the gradient goes to (0, 1), and to the top-left.
        var x = Tensor.FromArray(new double[] { 1, 3, 5, 5, 3, 2, 5, 5 }, 1, 1, 2, 4).RequireGrad();
        var y = new MaxPool2d<double>(2).Forward(x);
        Assert.Equal([3.0, 5.0], y.ToArray());
        (y * Tensor.FromArray(new double[] { 10, 20 }, 1, 1, 1, 2)).Sum().Backward();
        Assert.Equal([0.0, 10, 20, 0, 0, 0, 0, 0], x.Grad!.ToArray());
    }

    [Fact]
    public void OverlappingWindowsAddTheirGradientsAtASharedMaximum()
    {
        // 3×3 input, 2×2 windows at stride 1: the centre 9 is the maximum of all four windows.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 9, 5, 6, 7, 8 }, 1, 1, 3, 3).RequireGrad();
        var y = new MaxPool2d<double>(2, stride: 1).Forward(x);
        Assert.Equal([9.0, 9, 9, 9], y.ToArray());
        (y * Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 1, 1, 2, 2)).Sum().Backward();
        Assert.Equal([0.0, 0, 0, 0, 10, 0, 0, 0, 0], x.Grad!.ToArray());
    }

    [Fact]
    public void PaddingNeverWinsAndANaNWindowGivesNaN()
    {
        // All-negative input [[−4, −3], [−2, −1]], 2×2 windows at stride 1 with padding 1: a zero-padded pool would give 0
        // at the border; each window here is the maximum of the pixels it covers.
        var x = Tensor.FromArray(new double[] { -4, -3, -2, -1 }, 1, 1, 2, 2);
        Assert.Equal([-4.0, -3, -3, -2, -1, -1, -2, -1, -1], new MaxPool2d<double>(2, stride: 1, padding: 1).Forward(x).ToArray());
        var nan = Tensor.FromArray(new double[] { 1, double.NaN, 3, 4 }, 1, 1, 2, 2);
        Assert.True(double.IsNaN(new MaxPool2d<double>(2).Forward(nan).ToScalar()));
    }

    [Fact]
    public void FloatMatchesDouble()
    {
        var x = Tensor.Uniform<double>([2, 3, 7, 6], -1, 1, seed: 21);
        var expected = new MaxPool2d<double>((3, 2), stride: (2, 1), padding: 1).Forward(x).ToArray();
        var actual = new MaxPool2d<float>((3, 2), stride: (2, 1), padding: 1).Forward(Tensor.FromArray(x.ToArray().Select(v => (float)v).ToArray(), x.Shape.ToArray())).ToArray();
        LayerReferenceTests.AssertClose(expected, [.. actual.Select(v => (double)v)], 1e-7);
    }

    [Theory]
    [InlineData(2, 2, 1, 1)]
    [InlineData(2, 2, 2, 1)]
    [InlineData(3, 2, 2, 1)]
    [InlineData(2, 3, 1, 2)]
    [InlineData(2, 2, 1, 1, 14, 22)]
    [InlineData(2, 2, 1, 1, 14, 14)]
    [InlineData(2, 2, 1, 1, 6, 7)]
    public void UnpaddedPoolsOfManyWindowsKeepTheTieAndNaNRulesInFloatAndDouble(int kernel, int stride, int dilationHeight, int dilationWidth, int height = 13, int width = 19)
    {
        // Unpadded pools over planes of many windows take the vectorised forward paths (several windows per gather, or
        // per pair of loads for 2-wide windows at column stride 2, with 9 windows a row: a full vector and a remainder):
        // values from {0, 1, 2} tie in most windows, and a few NaNs must win their windows at their first position.
        // 2×2 windows tiling a 14×22 plane (11 a row) take the backward that stores every element once; tiling a 14×14
        // plane, rows of 7 windows, shorter than a vector of floats (and a vector and a remainder of doubles); on a 6×7
        // plane, rows of 3 windows that leave the last column out, the backward that adds into a cleared plane.
        var pooling = new Pooling(new Size2d(kernel, kernel), new Size2d(stride, stride), default, new Size2d(dilationHeight, dilationWidth), new Shape(2, 3, height, width));
        var random = new Random(7);
        var x = Enumerable.Range(0, pooling.Input.Length).Select(_ => random.Next(25) == 0 ? double.NaN : random.Next(3)).ToArray();
        var (values, argMax) = Naive(pooling, x);
        var g = Enumerable.Range(0, pooling.Output.Length).Select(i => 1.0 + i).ToArray();
        var expectedGradient = new double[x.Length];
        for (int w = 0; w < argMax.Length; w++)
        {
            expectedGradient[argMax[w]] += g[w];
        }

        var (y, vjp) = AutoDiff.Vjp(pooling.Layer<double>().Forward, Tensor.FromArray(x, pooling.Input.ToArray()), Tensor.FromArray(g, pooling.Output.ToArray()));
        Assert.Equal(values, y.ToArray());
        Assert.Equal(expectedGradient, vjp.ToArray());
        var (yFloat, vjpFloat) = AutoDiff.Vjp(pooling.Layer<float>().Forward,
            Tensor.FromArray(x.Select(v => (float)v).ToArray(), pooling.Input.ToArray()), Tensor.FromArray(g.Select(v => (float)v).ToArray(), pooling.Output.ToArray()));
        Assert.Equal(values, yFloat.ToArray().Select(v => (double)v));
        Assert.Equal(expectedGradient, vjpFloat.ToArray().Select(v => (double)v));
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 0)]
    [InlineData(3, 1, 1)]
    public void ADeferredInputIsPooledAPlaneChunkAtATimeAndStaysDeferred(int kernel, int stride, int padding)
    {
        // A ReLU over this many doubles is deferred; pooling makes it two 32×32 planes at a time in cache, in each of the
        // ranges of a split over the cores (2×2 windows in pairs, 3×3 by gathers, padded by the one-window loop). Values
        // and gradient must be those of pooling the computed ReLU, and the ReLU must still be deferred afterwards.
        var x = Tensor.Uniform<double>([4, 64, 32, 32], -1, 1, seed: 5);
        var pool = new MaxPool2d<double>(kernel, stride: stride, padding: padding);
        var computed = x.Relu();
        _ = computed.Data;
        var expected = pool.Forward(computed);
        var g = Tensor.Uniform<double>(expected.Shape.ToArray(), -1, 1, seed: 6);
        var expectedGradient = AutoDiff.Vjp(input => pool.Forward(input.Relu()), x, g).Product;

        var input = x.Clone().RequireGrad();
        var deferred = input.Relu();
        var y = pool.Forward(deferred);
        y.Backward(g);

        Assert.True(deferred.IsDeferred, "pooling computed the ReLU's values.");
        Assert.Equal(expected.ToArray(), y.ToArray());
        Assert.Equal(expectedGradient.ToArray(), input.Grad!.ToArray());
    }

    [Fact]
    public void ShapeErrorsNameTheLayerItsConfigurationAndTheShape()
    {
        var model = new Sequential<double>(new Flatten<double>(2), new MaxPool2d<double>(2, stride: 1, padding: 1));
        var pool = (MaxPool2d<double>)model.NamedChildren().Last().Value;
        var rank = Assert.Throws<ArgumentException>(() => pool.Forward(Tensor.Zeros<double>(2, 3, 4)));
        Assert.StartsWith($"{pool.Path} (MaxPool2d 2×2, stride 1, padding 1): input has shape [2, 3, 4], expected [N, C, H, W]", rank.Message);
        var small = Assert.Throws<ArgumentException>(() => new MaxPool2d<double>(3, dilation: 2).Forward(Tensor.Zeros<double>(1, 1, 4, 9)));
        Assert.StartsWith("MaxPool2d 3×3, dilation 2: input 4×9 (shape [1, 1, 4, 9]) is too small", small.Message);
        // Kernel 2 dilated by 2 with padding 1 on a 1-wide axis: the only window's taps land on both paddings.
        var empty = Assert.Throws<ArgumentException>(() => new MaxPool2d<double>((1, 2), stride: 1, padding: (0, 1), dilation: (1, 2)).Forward(Tensor.Zeros<double>(1, 1, 2, 1)));
        Assert.Contains("would hold no input", empty.Message);
    }

    [Fact]
    public void BadConfigurationsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d<double>(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d<double>(2, stride: (1, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d<double>(2, dilation: 0));
        Assert.Contains("between 0 and half the kernel size", Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d<double>(3, padding: 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d<double>(2, padding: (0, -1)));
        Assert.Contains("\"same\" padding is not supported", Assert.Throws<ArgumentException>(() => new MaxPool2d<double>(3, padding: "same")).Message);
    }

    /// <summary>
    /// Each window's maximum over its taps inside the image and the flat input position of its first maximal tap in
    /// row-major window order (the first NaN when the window holds one), by a plain loop over the definition.
    /// </summary>
    private static (double[] Values, int[] ArgMax) Naive(Pooling p, double[] x)
    {
        var (n, c, h, w) = (p.Input[0], p.Input[1], p.Input[2], p.Input[3]);
        var (outH, outW) = (p.Output[2], p.Output[3]);
        var stride = p.Stride ?? p.Kernel;
        var values = new double[p.Output.Length];
        var argMax = new int[p.Output.Length];
        int window = 0;
        for (int plane = 0; plane < n * c; plane++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++, window++)
                {
                    double best = double.NegativeInfinity;
                    int at = -1;
                    for (int i = 0; i < p.Kernel.Height; i++)
                        for (int j = 0; j < p.Kernel.Width; j++)
                        {
                            int row = oh * stride.Height - p.Padding.Height + i * p.Dilation.Height;
                            int column = ow * stride.Width - p.Padding.Width + j * p.Dilation.Width;
                            if (row < 0 || row >= h || column < 0 || column >= w) continue;
                            int position = (plane * h + row) * w + column;
                            if (at < 0 || x[position] > best || (double.IsNaN(x[position]) && !double.IsNaN(best))) (best, at) = (x[position], position);
                        }
                    (values[window], argMax[window]) = (best, at);
                }
        return (values, argMax);
    }

    /// <summary>A pooling configuration and the input shape it is applied to.</summary>
    private sealed record Pooling(Size2d Kernel, Size2d? Stride, Padding2d Padding, Size2d Dilation, Shape Input)
    {
        public MaxPool2d<T> Layer<T>()
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => new(Kernel, Stride, Padding, Dilation);

        /// <summary>[N, C, OH, OW] with OH = ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1.</summary>
        public Shape Output
        {
            get
            {
                var stride = Stride ?? Kernel;
                int outH = (Input[2] + 2 * Padding.Height - Dilation.Height * (Kernel.Height - 1) - 1) / stride.Height + 1;
                int outW = (Input[3] + 2 * Padding.Width - Dilation.Width * (Kernel.Width - 1) - 1) / stride.Width + 1;
                return new Shape(Input[0], Input[1], outH, outW);
            }
        }

        public override string ToString() => $"kernel {Kernel}, stride {Stride?.ToString() ?? "default"}, padding {Padding}, dilation {Dilation} on {Input}";
    }
}
