using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>Conv1d against a naive loop and against Conv2d over a height of 1; "same" padding, initialization, float, errors.</summary>
public sealed class Conv1dReferenceTests
{
    private const double Tight = 1e-12;

    [Theory]
    [InlineData(1, 2, 4, 3, 7, 2, 1, 1, 1, true)]
    [InlineData(2, 4, 6, 3, 9, 1, 2, 2, 2, true)]
    [InlineData(1, 3, 3, 2, 8, 3, 0, 3, 3, false)]
    [InlineData(2, 1, 2, 4, 5, 2, 2, 1, 1, true)]
    public void Conv1dMatchesAFiveLoopConvolution(int batch, int inChannels, int outChannels, int kernel, int length, int stride, int padding, int dilation, int groups, bool bias)
    {
        var layer = new Conv1d<double>(inChannels, outChannels, kernel, new RandomSource(21), stride, padding, dilation, groups, bias);
        var x = Tensor.Uniform<double>([batch, inChannels, length], -1, 1, seed: 22);
        var y = layer.Forward(x);
        Assert.Equal([batch, outChannels, (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1], y.Shape.ToArray());
        AssertMatchesNaive(layer, x, y, padding);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 1)]
    [InlineData(2, 3)]
    public void SamePaddingKeepsTheLengthAndPadsTheExtraAtTheEnd(int kernel, int dilation)
    {
        var layer = new Conv1d<double>(2, 3, kernel, new RandomSource(23), padding: "same", dilation: dilation);
        var x = Tensor.Uniform<double>([1, 2, 7], -1, 1, seed: 24);
        var y = layer.Forward(x);
        Assert.Equal([1, 3, 7], y.Shape.ToArray());
        AssertMatchesNaive(layer, x, y, dilation * (kernel - 1) / 2);
        Assert.True(layer.Padding.IsSame);
    }

    [Theory]
    [InlineData(2, 1, 0, 1, 1)]
    [InlineData(3, 2, 1, 2, 2)]
    public void Conv1dIsConv2dOverAHeightOfOne(int kernel, int stride, int padding, int dilation, int groups)
    {
        var line = new Conv1d<double>(4, 6, kernel, new RandomSource(25), stride, padding, dilation, groups);
        var image = new Conv2d<double>(4, 6, (1, kernel), new RandomSource(26), (1, stride), (0, padding), (1, dilation), groups);
        image.LoadStateDict(new Dictionary<string, Tensor<double>> { ["weight"] = line.Weight.Reshape(6, 4 / groups, 1, kernel).Detach(), ["bias"] = line.Bias!.Detach() });
        var x = Tensor.Uniform<double>([2, 4, 9], -1, 1, seed: 27);
        var expected = image.Forward(x.Reshape(2, 4, 1, 9));
        var y = line.Forward(x);
        Assert.Equal(expected.Shape[3], y.Shape[2]);
        LayerReferenceTests.AssertClose(expected.ToArray(), y.ToArray(), Tight);
    }

    [Fact]
    public void Conv1dDefaultInitializationIsPyTorchs()
    {
        // kaiming_uniform_(a = √5) on [out, in/groups, k] is U(−1/√fan_in, 1/√fan_in), fan_in = in/groups·k; the bias is drawn next with the same bound.
        var layer = new Conv1d<double>(6, 4, 5, new RandomSource(8), groups: 2);
        var reference = new RandomSource(8);
        double bound = 1 / Math.Sqrt(3 * 5);
        var expectedWeight = Enumerable.Range(0, 4 * 3 * 5).Select(_ => -bound + 2 * bound * reference.NextDouble()).ToArray();
        var expectedBias = Enumerable.Range(0, 4).Select(_ => -bound + 2 * bound * reference.NextDouble()).ToArray();
        Assert.Equal([4, 3, 5], layer.Weight.Shape.ToArray());
        LayerReferenceTests.AssertClose(expectedWeight, layer.Weight.ToArray(), 1e-15);
        LayerReferenceTests.AssertClose(expectedBias, layer.Bias!.ToArray(), 1e-15);
        Assert.Equal(["weight", "bias"], layer.StateDict().Keys);
    }

    [Fact]
    public void Conv1dWorksInFloat()
    {
        var layer = new Conv1d<float>(2, 3, 3, new RandomSource(15), stride: 2, padding: 1);
        var doubleLayer = new Conv1d<double>(2, 3, 3, new RandomSource(15), stride: 2, padding: 1);
        var x = Tensor.Uniform<double>([2, 2, 7], -1, 1, seed: 16);
        var expected = doubleLayer.Forward(x).ToArray();
        var actual = layer.Forward(Tensor.FromArray(x.ToArray().Select(v => (float)v).ToArray(), x.Shape.ToArray())).ToArray();
        LayerReferenceTests.AssertClose(expected, [.. actual.Select(v => (double)v)], 1e-5);
    }

    /// <summary>Two convolutions registered as conv1 and conv2, so errors carry a dotted path.</summary>
    private sealed class TwoConvolutions : Module<double>
    {
        public TwoConvolutions()
        {
            RegisterModule("conv1", new Conv1d<double>(16, 32, 3, new RandomSource(1)));
            Second = RegisterModule("conv2", new Conv1d<double>(32, 64, 3, new RandomSource(2)));
        }

        public Conv1d<double> Second { get; }
    }

    [Fact]
    public void ShapeErrorsNameThePathTheConfigurationAndBothShapes()
    {
        var conv = new TwoConvolutions().Second;
        Assert.StartsWith("conv2 (Conv1d 32→64, k=3): input has 16 channels, expected 32 (input shape [1, 16, 10])",
            Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros<double>(1, 16, 10))).Message);
        Assert.StartsWith("conv2 (Conv1d 32→64, k=3): input has shape [1, 32, 4, 4], expected [N, 32, L]",
            Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros<double>(1, 32, 4, 4))).Message);
        var dilated = new Conv1d<double>(2, 2, 3, new RandomSource(3), stride: 2, padding: 1, dilation: 3, groups: 2, bias: false);
        Assert.Equal("Conv1d 2→2, k=3, stride 2, padding 1, dilation 3, groups 2, no bias", dilated.Description);
        Assert.Contains("input length 4 with padding 1 is smaller than the dilated kernel 7",
            Assert.Throws<ArgumentException>(() => dilated.Forward(Tensor.Zeros<double>(3, 2, 4))).Message);
    }

    [Fact]
    public void BadConfigurationsAreRefused()
    {
        var random = new RandomSource(1);
        Assert.Throws<ArgumentException>(() => new Conv1d<double>(3, 4, 3, random, groups: 2));
        Assert.Contains("\"same\" padding needs stride 1, got stride 2", Assert.Throws<ArgumentException>(() => new Conv1d<double>(2, 4, 3, random, stride: 2, padding: "same")).Message);
        Assert.Throws<ArgumentException>(() => new Conv1d<double>(2, 4, 3, random, padding: "full"));
        Assert.Contains("kernelSize is 0", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv1d<double>(2, 4, 0, random)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv1d<double>(2, 4, 3, random, dilation: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv1d<double>(2, 4, 3, random, padding: -1));
    }

    /// <summary>y against y[n, o, t] = b[o] + Σ_{c, j} W[o, c, j]·x[n, g·C/G + c, t·s − p + j·d].</summary>
    private static void AssertMatchesNaive(Conv1d<double> layer, Tensor<double> x, Tensor<double> y, int before)
    {
        int batch = x.Shape[0], length = x.Shape[2], outLength = y.Shape[2], kernel = layer.KernelSize;
        int perGroupIn = layer.InChannels / layer.Groups, perGroupOut = layer.OutChannels / layer.Groups;
        var w = layer.Weight.ToArray();
        var b = layer.Bias?.ToArray();
        var input = x.ToArray();
        var expected = new double[batch * layer.OutChannels * outLength];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < layer.OutChannels; o++)
                for (int t = 0; t < outLength; t++)
                {
                    double sum = b?[o] ?? 0;
                    for (int c = 0; c < perGroupIn; c++)
                        for (int j = 0; j < kernel; j++)
                        {
                            int position = t * layer.Stride - before + j * layer.Dilation;
                            if (position < 0 || position >= length) continue;
                            int channel = o / perGroupOut * perGroupIn + c;
                            sum += w[(o * perGroupIn + c) * kernel + j] * input[(n * layer.InChannels + channel) * length + position];
                        }
                    expected[(n * layer.OutChannels + o) * outLength + t] = sum;
                }
        LayerReferenceTests.AssertClose(expected, y.ToArray(), Tight);
    }
}
