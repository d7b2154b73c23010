using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;
using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>Im2col/col2im and Conv2d against naive loops, the adjoint identity, shapes, errors and initialization.</summary>
public sealed class ConvolutionReferenceTests
{
    private const double Tight = 1e-12;

    /// <summary>N, C, H, W, kh, kw, sh, sw, pad top, bottom, left, right, dh, dw: odd sizes, strides, padding, dilation, batch 1.</summary>
    public static TheoryData<int[]> Geometries =>
    [
        [1, 1, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1],
        [2, 3, 7, 6, 3, 2, 2, 1, 1, 1, 0, 0, 1, 1],
        [1, 2, 9, 7, 3, 3, 2, 3, 2, 2, 1, 1, 2, 2],
        [2, 1, 4, 5, 2, 2, 1, 1, 0, 1, 1, 0, 1, 3],
        [1, 2, 3, 3, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1],
        // Output rows as wide as the input's row step, whose kernel rows are copied in one run: dilated "same", a
        // height stride of 2, and kernel rows wholly inside the vertical padding.
        [1, 2, 6, 7, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2],
        [2, 2, 5, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 4, 1, 3, 1, 1, 2, 2, 1, 1, 1, 1],
    ];

    private static ConvGeometry GeometryOf(int[] g) => new(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13]);

    /// <summary>Each geometry with the column matrix per image (false) and for the whole batch (true).</summary>
    public static TheoryData<int[], bool> GeometriesAndLayouts
    {
        get
        {
            var data = new TheoryData<int[], bool>();
            foreach (var geometry in Geometries)
            {
                data.Add(geometry, false);
                data.Add(geometry, true);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(GeometriesAndLayouts))]
    public void Im2colMatchesANaiveLoop(int[] values, bool batched)
    {
        var layout = batched ? ColumnLayout.Batched : ColumnLayout.PerImage;
        // Per image the entry (n, row, position) sits at (n·rows + row)·positions + position; batched at (row·N + n)·positions + position.
        var g = GeometryOf(values);
        var x = Tensor.Uniform<double>([g.Batch, g.Channels, g.Height, g.Width], -1, 1, seed: 5);
        var data = x.ToArray();
        int rows = g.Channels * g.KernelHeight * g.KernelWidth, positions = g.OutHeight * g.OutWidth;
        var expected = new double[g.Batch * rows * positions];
        for (int n = 0; n < g.Batch; n++)
            for (int c = 0; c < g.Channels; c++)
                for (int i = 0; i < g.KernelHeight; i++)
                    for (int j = 0; j < g.KernelWidth; j++)
                        for (int p = 0; p < g.OutHeight; p++)
                            for (int q = 0; q < g.OutWidth; q++)
                            {
                                int h = p * g.StrideHeight - g.PadTop + i * g.DilationHeight;
                                int w = q * g.StrideWidth - g.PadLeft + j * g.DilationWidth;
                                bool inside = h >= 0 && h < g.Height && w >= 0 && w < g.Width;
                                int row = (c * g.KernelHeight + i) * g.KernelWidth + j, position = p * g.OutWidth + q;
                                int index = layout == ColumnLayout.PerImage ? (n * rows + row) * positions + position : (row * g.Batch + n) * positions + position;
                                expected[index] = inside ? data[((n * g.Channels + c) * g.Height + h) * g.Width + w] : 0;
                            }
        var columns = Im2colNode<double>.Apply(x, g, layout);
        Assert.Equal(layout == ColumnLayout.PerImage ? new Shape(g.Batch, rows, positions) : new Shape(rows, g.Batch, positions), columns.Shape);
        LayerReferenceTests.AssertClose(expected, columns.ToArray(), 0);
    }

    [Theory]
    [MemberData(nameof(GeometriesAndLayouts))]
    public void Col2imIsTheAdjointOfIm2col(int[] values, bool batched)
    {
        var layout = batched ? ColumnLayout.Batched : ColumnLayout.PerImage;
        // ⟨u, im2col(x)⟩ = ⟨col2im(u), x⟩ for random x and u.
        var g = GeometryOf(values);
        var x = Tensor.Uniform<double>([g.Batch, g.Channels, g.Height, g.Width], -1, 1, seed: 6);
        var u = Tensor.Uniform<double>(g.ColumnShapeOf(layout).ToArray(), -1, 1, seed: 7);
        double left = Dot(u.ToArray(), Im2colNode<double>.Apply(x, g, layout).ToArray());
        double right = Dot(Col2imNode<double>.Apply(u, g, layout).ToArray(), x.ToArray());
        Assert.True(Math.Abs(left - right) <= 1e-12 * Math.Max(1, Math.Abs(left)), $"⟨u, im2col x⟩ = {left:R}, ⟨col2im u, x⟩ = {right:R}");
    }

    [Theory]
    [InlineData(1, 2, 4, 3, 5, 7, 2, 2, 1, 2, 1, 1, 1, true)]
    [InlineData(2, 4, 6, 3, 3, 6, 1, 1, 2, 1, 2, 2, 2, true)]
    [InlineData(1, 3, 3, 2, 7, 5, 2, 1, 0, 1, 1, 1, 3, false)]
    [InlineData(2, 1, 2, 3, 4, 4, 1, 2, 1, 0, 2, 1, 1, true)]
    // 3×3 at stride 1 with at least 16 channels each way (Winograd's F(2×2, 3×3)): odd and even output sizes, padding
    // 0 to 2, a single output position, and 40×40 (bands of tile rows, several vectors of tiles per row).
    [InlineData(2, 16, 17, 3, 5, 7, 1, 1, 1, 1, 1, 1, 1, true)]
    [InlineData(1, 18, 16, 3, 4, 9, 1, 1, 0, 2, 1, 1, 1, false)]
    [InlineData(3, 16, 16, 3, 3, 3, 1, 1, 0, 0, 1, 1, 1, true)]
    [InlineData(1, 16, 20, 3, 40, 40, 1, 1, 1, 1, 1, 1, 1, true)]
    public void Conv2dMatchesASevenLoopConvolution(int batch, int inChannels, int outChannels, int kernel, int height, int width,
        int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups, bool bias)
    {
        var layer = new Conv2d<double>(inChannels, outChannels, (kernel, kernel - 1 + kernel % 2), new RandomSource(11),
            stride: (strideH, strideW), padding: (padH, padW), dilation: (dilationH, dilationW), groups: groups, bias: bias);
        var x = Tensor.Uniform<double>([batch, inChannels, height, width], -1, 1, seed: 12);
        var y = layer.Forward(x);
        AssertMatchesNaive(layer, x, y, padH, padW);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 1)]
    [InlineData(2, 3)]
    public void SamePaddingKeepsTheSizeAndPadsTheExtraAfter(int kernel, int dilation)
    {
        var layer = new Conv2d<double>(2, 3, kernel, new RandomSource(13), padding: "same", dilation: dilation);
        var x = Tensor.Uniform<double>([1, 2, 5, 6], -1, 1, seed: 14);
        var y = layer.Forward(x);
        Assert.Equal([1, 3, 5, 6], y.Shape.ToArray());
        int before = dilation * (kernel - 1) / 2;
        AssertMatchesNaive(layer, x, y, before, before);
    }

    [Fact]
    public void Conv2dWorksInFloat()
    {
        var layer = new Conv2d<float>(2, 2, 3, new RandomSource(15), padding: 1);
        var doubleLayer = new Conv2d<double>(2, 2, 3, new RandomSource(15), padding: 1);
        var x = Tensor.Uniform<double>([1, 2, 4, 4], -1, 1, seed: 16);
        var expected = doubleLayer.Forward(x).ToArray();
        var actual = layer.Forward(Tensor.FromArray(x.ToArray().Select(v => (float)v).ToArray(), x.Shape.ToArray())).ToArray();
        LayerReferenceTests.AssertClose(expected, [.. actual.Select(v => (double)v)], 1e-5);
    }

    /// <summary>
    /// Winograd's transforms round differently from the direct sum: in float, each output within 8·ε of the sum of its
    /// terms' magnitudes (ε = 2⁻²⁴), against the double layer, the forward and both gradients; on rows whose pairs of
    /// columns fill no vector, 128-bit vectors and 256-bit ones with a 128-bit one and a single column after them.
    /// </summary>
    [Theory]
    [InlineData(11, 10)]
    [InlineData(14, 14)]
    [InlineData(5, 27)]
    public void Conv2dWithWinogradStaysCloseInFloat(int height, int width)
    {
        var layer = new Conv2d<float>(24, 16, 3, new RandomSource(17), padding: 1);
        var doubleLayer = new Conv2d<double>(24, 16, 3, new RandomSource(17), padding: 1);
        var x = Tensor.Uniform<double>([2, 24, height, width], -1, 1, seed: 18);
        var g = Tensor.Uniform<double>([2, 16, height, width], -1, 1, seed: 19);
        var xf = ToFloat(x).RequireGrad();
        var yf = layer.Forward(xf);
        var xd = x.Clone().RequireGrad();
        var yd = doubleLayer.Forward(xd);
        var gradientsF = AutoDiff.Gradients(yf, [xf, layer.Weight], ToFloat(g));
        var gradientsD = AutoDiff.Gradients(yd, [xd, doubleLayer.Weight], g);
        // Each output sums 9·24 + 1 terms of magnitude below 1·bound, each input gradient 9·16, each weight gradient 2·h·w.
        double bound = 1 / Math.Sqrt(24 * 9);
        AssertWithin(yd, yf, 8 * Math.Pow(2, -24) * 217 * bound);
        AssertWithin(gradientsD[0], gradientsF[0], 8 * Math.Pow(2, -24) * 144 * bound);
        AssertWithin(gradientsD[1], gradientsF[1], 8 * Math.Pow(2, -24) * 2 * height * width);

        static Tensor<float> ToFloat(Tensor<double> t) => Tensor.FromArray(t.ToArray().Select(v => (float)v).ToArray(), t.Shape.ToArray());

        static void AssertWithin(Tensor<double> expected, Tensor<float> actual, double bound)
        {
            var (e, a) = (expected.ToArray(), actual.ToArray());
            for (int i = 0; i < e.Length; i++)
            {
                Assert.True(Math.Abs(e[i] - a[i]) <= bound, $"element {i}: double {e[i]:R}, float {a[i]:R}, bound {bound:E2}");
            }
        }
    }

    /// <summary>
    /// A layer on an empty batch, by Winograd (16 channels) and image by image (2 → 3): an empty output, and zero
    /// gradients for the weight and bias.
    /// </summary>
    [Theory]
    [InlineData(16, 16)]
    [InlineData(2, 3)]
    public void Conv2dTakesAnEmptyBatch(int inChannels, int outChannels)
    {
        var layer = new Conv2d<double>(inChannels, outChannels, 3, new RandomSource(20), padding: 1);
        var x = Tensor.Zeros<double>(0, inChannels, 5, 5).RequireGrad();
        var y = layer.Forward(x);
        Assert.Equal([0, outChannels, 5, 5], y.Shape.ToArray());
        var gradients = AutoDiff.Gradients(y.Sum(), [x, layer.Weight, layer.Bias!]);
        Assert.Equal([0, inChannels, 5, 5], gradients[0].Shape.ToArray());
        Assert.All(gradients[1].ToArray(), e => Assert.Equal(0.0, e));
        Assert.All(gradients[2].ToArray(), e => Assert.Equal(0.0, e));
    }

    [Fact]
    public void WrongChannelsNameTheLayerItsConfigurationAndBothCounts()
    {
        var model = new Sequential<double>(new Conv2d<double>(1, 32, 3, new RandomSource(1), padding: 1), new Conv2d<double>(32, 64, 3, new RandomSource(1), padding: 1));
        var conv = (Conv2d<double>)model.NamedChildren().Last().Value;
        var error = Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros<double>(1, 16, 5, 5)));
        Assert.StartsWith($"{conv.Path} (Conv2d 32→64, 3×3, padding 1): input has 16 channels, expected 32", error.Message);
    }

    [Fact]
    public void BadConfigurationsAndInputsAreRefused()
    {
        var random = new RandomSource(1);
        Assert.Throws<ArgumentException>(() => new Conv2d<double>(3, 4, 3, random, groups: 2));
        Assert.Throws<ArgumentException>(() => new Conv2d<double>(2, 4, 3, random, stride: 2, padding: "same"));
        Assert.Throws<ArgumentException>(() => new Conv2d<double>(2, 4, 3, random, padding: "full"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d<double>(2, 4, 0, random));
        var layer = new Conv2d<double>(2, 4, 3, random, dilation: 2);
        Assert.Contains("smaller than the dilated kernel 5×5", Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros<double>(1, 2, 4, 9))).Message);
        // One row short of the dilated kernel at stride > 1: the slack −1 must not round up to one output row.
        var strided = new Conv2d<double>(2, 4, 3, random, stride: 3, dilation: 2);
        Assert.Contains("input 4×9 with padding 0 is smaller than the dilated kernel 5×5", Assert.Throws<ArgumentException>(() => strided.Forward(Tensor.Zeros<double>(1, 2, 4, 9))).Message);
        Assert.Contains("expected [N, 2, H, W]", Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros<double>(2, 9, 9))).Message);
    }

    [Fact]
    public void Conv2dDefaultInitializationIsPyTorchs()
    {
        // kaiming_uniform_(a = √5) on [out, in/groups, kh, kw] is U(−1/√fan_in, 1/√fan_in); the bias is drawn next with the same bound.
        var layer = new Conv2d<double>(4, 6, (3, 2), new RandomSource(8), groups: 2);
        var reference = new RandomSource(8);
        double bound = 1 / Math.Sqrt(2 * 3 * 2);
        var expectedWeight = Enumerable.Range(0, 6 * 2 * 3 * 2).Select(_ => -bound + 2 * bound * reference.NextDouble()).ToArray();
        var expectedBias = Enumerable.Range(0, 6).Select(_ => -bound + 2 * bound * reference.NextDouble()).ToArray();
        Assert.Equal([6, 2, 3, 2], layer.Weight.Shape.ToArray());
        LayerReferenceTests.AssertClose(expectedWeight, layer.Weight.ToArray(), 1e-15);
        LayerReferenceTests.AssertClose(expectedBias, layer.Bias!.ToArray(), 1e-15);
    }

    /// <summary>y against y[n,o,p,q] = b[o] + Σ_{c,i,j} W[o,c,i,j]·x[n, g·C/G + c, p·sh − top + i·dh, q·sw − left + j·dw].</summary>
    private static void AssertMatchesNaive(Conv2d<double> layer, Tensor<double> x, Tensor<double> y, int top, int left)
    {
        int batch = x.Shape[0], height = x.Shape[2], width = x.Shape[3];
        int outHeight = y.Shape[2], outWidth = y.Shape[3];
        int perGroupIn = layer.InChannels / layer.Groups, perGroupOut = layer.OutChannels / layer.Groups;
        var (kh, kw) = (layer.KernelSize.Height, layer.KernelSize.Width);
        var w = layer.Weight.ToArray();
        var b = layer.Bias?.ToArray();
        var input = x.ToArray();
        var expected = new double[batch * layer.OutChannels * outHeight * outWidth];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < layer.OutChannels; o++)
                for (int p = 0; p < outHeight; p++)
                    for (int q = 0; q < outWidth; q++)
                    {
                        double sum = b?[o] ?? 0;
                        for (int c = 0; c < perGroupIn; c++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int h = p * layer.Stride.Height - top + i * layer.Dilation.Height;
                                    int v = q * layer.Stride.Width - left + j * layer.Dilation.Width;
                                    if (h < 0 || h >= height || v < 0 || v >= width) continue;
                                    int channel = o / perGroupOut * perGroupIn + c;
                                    sum += w[((o * perGroupIn + c) * kh + i) * kw + j] * input[((n * layer.InChannels + channel) * height + h) * width + v];
                                }
                        expected[((n * layer.OutChannels + o) * outHeight + p) * outWidth + q] = sum;
                    }
        LayerReferenceTests.AssertClose(expected, y.ToArray(), Tight);
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
}
