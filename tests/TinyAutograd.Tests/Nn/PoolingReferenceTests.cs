using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>AvgPool2d and AdaptiveAvgPool2d against naive loops and against each other and the mean; float; errors.</summary>
public sealed class PoolingReferenceTests
{
    private const double Tight = 1e-12;

    [Theory]
    [InlineData(2, 3, 5, 7, 2, 2, 2, 2, 0, 0, true)]
    [InlineData(1, 2, 6, 5, 3, 2, 2, 1, 1, 1, true)]
    [InlineData(1, 2, 6, 5, 3, 2, 2, 1, 1, 1, false)]
    [InlineData(2, 1, 7, 4, 3, 3, 3, 2, 1, 0, false)]
    [InlineData(1, 1, 4, 4, 4, 1, 1, 1, 2, 0, true)]
    public void AvgPool2dMatchesANaiveLoop(int batch, int channels, int height, int width, int kh, int kw, int sh, int sw, int ph, int pw, bool countIncludePad)
    {
        var layer = new AvgPool2d<double>((kh, kw), (sh, sw), (ph, pw), countIncludePad);
        var x = Tensor.Uniform<double>([batch, channels, height, width], -1, 1, seed: 31);
        var y = layer.Forward(x);
        int outHeight = (height + 2 * ph - kh) / sh + 1, outWidth = (width + 2 * pw - kw) / sw + 1;
        Assert.Equal([batch, channels, outHeight, outWidth], y.Shape.ToArray());
        var input = x.ToArray();
        var expected = new double[y.Length];
        for (int plane = 0; plane < batch * channels; plane++)
            for (int p = 0; p < outHeight; p++)
                for (int q = 0; q < outWidth; q++)
                {
                    double sum = 0;
                    int inside = 0;
                    for (int i = 0; i < kh; i++)
                        for (int j = 0; j < kw; j++)
                        {
                            int h = p * sh - ph + i, w = q * sw - pw + j;
                            if (h < 0 || h >= height || w < 0 || w >= width) continue;
                            sum += input[(plane * height + h) * width + w];
                            inside++;
                        }
                    expected[(plane * outHeight + p) * outWidth + q] = sum / (countIncludePad ? kh * kw : inside);
                }
        LayerReferenceTests.AssertClose(expected, y.ToArray(), Tight);
    }

    [Theory]
    [InlineData(6, 4, 3, 2)]
    [InlineData(7, 5, 3, 2)]
    [InlineData(5, 3, 5, 3)]
    [InlineData(2, 3, 3, 4)]
    [InlineData(10, 9, 4, 1)]
    public void AdaptiveAvgPool2dAveragesPyTorchsWindows(int height, int width, int outHeight, int outWidth)
    {
        var layer = new AdaptiveAvgPool2d<double>((outHeight, outWidth));
        var x = Tensor.Uniform<double>([2, 3, height, width], -1, 1, seed: 32);
        var y = layer.Forward(x);
        Assert.Equal([2, 3, outHeight, outWidth], y.Shape.ToArray());
        var input = x.ToArray();
        var expected = new double[y.Length];
        for (int plane = 0; plane < 6; plane++)
            for (int i = 0; i < outHeight; i++)
                for (int j = 0; j < outWidth; j++)
                {
                    // Rows ⌊i·H/OH⌋ … ⌈(i + 1)·H/OH⌉ − 1, columns likewise.
                    int top = (int)Math.Floor((double)i * height / outHeight), bottom = (int)Math.Ceiling((double)(i + 1) * height / outHeight);
                    int left = (int)Math.Floor((double)j * width / outWidth), right = (int)Math.Ceiling((double)(j + 1) * width / outWidth);
                    double sum = 0;
                    for (int h = top; h < bottom; h++)
                        for (int w = left; w < right; w++)
                            sum += input[(plane * height + h) * width + w];
                    expected[(plane * outHeight + i) * outWidth + j] = sum / ((bottom - top) * (right - left));
                }
        LayerReferenceTests.AssertClose(expected, y.ToArray(), Tight);
    }

    [Fact]
    public void GlobalAveragePoolingIsTheMeanOverTheImage()
    {
        var x = Tensor.Uniform<double>([3, 4, 5, 7], -1, 1, seed: 33);
        LayerReferenceTests.AssertClose(x.Mean([2, 3], keepDims: true).ToArray(), new AdaptiveAvgPool2d<double>(1).Forward(x).ToArray(), Tight);
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    public void AdaptivePoolingToADivisorIsAvgPoolingWithTheQuotientKernel(int kh, int kw)
    {
        var x = Tensor.Uniform<double>([2, 2, 3 * kh, 2 * kw], -1, 1, seed: 34);
        var adaptive = new AdaptiveAvgPool2d<double>((3, 2)).Forward(x).ToArray();
        LayerReferenceTests.AssertClose(new AvgPool2d<double>((kh, kw)).Forward(x).ToArray(), adaptive, Tight);
    }

    [Fact]
    public void PoolingWorksInFloat()
    {
        var x = Tensor.Uniform<double>([2, 3, 7, 6], -1, 1, seed: 35);
        var xf = Tensor.FromArray(x.ToArray().Select(v => (float)v).ToArray(), x.Shape.ToArray());
        static double[] Widen(Tensor<float> t) => [.. t.ToArray().Select(v => (double)v)];
        LayerReferenceTests.AssertClose(new AvgPool2d<double>(3, 2, 1, false).Forward(x).ToArray(), Widen(new AvgPool2d<float>(3, 2, 1, false).Forward(xf)), 1e-6);
        LayerReferenceTests.AssertClose(new AdaptiveAvgPool2d<double>((3, 4)).Forward(x).ToArray(), Widen(new AdaptiveAvgPool2d<float>((3, 4)).Forward(xf)), 1e-6);
    }

    [Fact]
    public void ShapeErrorsAndBadConfigurationsAreRefusedNamingTheLayer()
    {
        var model = new Sequential<double>(new Relu<double>(), new AvgPool2d<double>(3, stride: 2, padding: 1), new AdaptiveAvgPool2d<double>((2, 3)));
        var pool = (AvgPool2d<double>)model.NamedChildren().ElementAt(1).Value;
        var adaptive = (AdaptiveAvgPool2d<double>)model.NamedChildren().ElementAt(2).Value;
        Assert.StartsWith("1 (AvgPool2d 3×3, stride 2, padding 1): input has shape [2, 5, 5], expected [N, C, H, W]",
            Assert.Throws<ArgumentException>(() => pool.Forward(Tensor.Zeros<double>(2, 5, 5))).Message);
        Assert.StartsWith("AvgPool2d 4×2, stride 3, padding 1: input 1×5 with padding 1 is smaller than the kernel 4×2",
            Assert.Throws<ArgumentException>(() => new AvgPool2d<double>((4, 2), stride: 3, padding: 1).Forward(Tensor.Zeros<double>(1, 2, 1, 5))).Message);
        Assert.StartsWith("2 (AdaptiveAvgPool2d to 2×3): input has shape [4, 4], expected [N, C, H, W]",
            Assert.Throws<ArgumentException>(() => adaptive.Forward(Tensor.Zeros<double>(4, 4))).Message);
        Assert.Equal("AvgPool2d 2×2", new AvgPool2d<double>(2).Description);
        Assert.Equal("AvgPool2d 3×2, padding 1 (not counted)", new AvgPool2d<double>((3, 2), padding: 1, countIncludePad: false).Description);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AvgPool2d<double>(2, padding: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AvgPool2d<double>(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AvgPool2d<double>(2, stride: (1, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveAvgPool2d<double>((0, 1)));
    }
}
