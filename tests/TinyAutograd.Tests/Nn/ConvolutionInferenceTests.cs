using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>
/// A convolution that nothing records (under <see cref="GradMode.Disable"/>: its columns formed inside the product)
/// against the same layer recorded (its columns stored, the path the gradient tests check against finite differences):
/// equal within 1e-13 of the largest output, in 2-d and 1-d, with groups, strides, padding, dilation and with or
/// without bias. The two round differently only in where the bias joins the sum.
/// </summary>
public sealed class ConvolutionInferenceTests
{
    /// <summary>In, out, kernel height and width, stride, padding, dilation, groups, bias.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, bool> Layers => new()
    {
        { 3, 4, 3, 3, 1, 1, 1, 1, true },
        { 4, 6, 3, 2, 2, 0, 1, 2, false },
        { 2, 3, 3, 3, 1, 2, 2, 1, true },
        { 6, 3, 1, 1, 1, 0, 1, 3, true },
        { 1, 5, 5, 5, 3, 2, 1, 1, false },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Conv2dUnrecordedMatchesRecorded(int inChannels, int outChannels, int kernelHeight, int kernelWidth, int stride, int padding, int dilation, int groups, bool bias)
    {
        var layer = new Conv2d<double>(inChannels, outChannels, new Size2d(kernelHeight, kernelWidth), new RandomSource(5), stride, padding, dilation, groups, bias);
        var x = Tensor.Normal<double>([2, inChannels, 9, 8], seed: 6);
        AssertClose(layer.Forward(x), Unrecorded(() => layer.Forward(x)));
    }

    /// <summary>In, out, kernel, stride, padding, dilation, groups, bias.</summary>
    public static TheoryData<int, int, int, int, int, int, int, bool> Layers1d => new()
    {
        { 3, 4, 3, 1, 1, 1, 1, true },
        { 4, 6, 2, 2, 0, 2, 2, false },
        { 6, 3, 1, 1, 0, 1, 3, true },
        { 1, 5, 5, 3, 2, 1, 1, false },
    };

    [Theory]
    [MemberData(nameof(Layers1d))]
    public void Conv1dUnrecordedMatchesRecorded(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups, bool bias)
    {
        var layer = new Conv1d<double>(inChannels, outChannels, kernel, new RandomSource(7), stride, padding, dilation, groups, bias);
        var x = Tensor.Normal<double>([3, inChannels, 11], seed: 8);
        AssertClose(layer.Forward(x), Unrecorded(() => layer.Forward(x)));
    }

    private static Tensor<double> Unrecorded(Func<Tensor<double>> forward)
    {
        using (GradMode.Disable())
        {
            var y = forward();
            Assert.False(y.RequiresGrad);
            return y;
        }
    }

    private static void AssertClose(Tensor<double> recorded, Tensor<double> unrecorded)
    {
        Assert.True(recorded.RequiresGrad);
        Assert.Equal(recorded.Shape, unrecorded.Shape);
        double scale = recorded.ToArray().Max(Math.Abs);
        var (a, b) = (recorded.ToArray(), unrecorded.ToArray());
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) <= 1e-13 * scale, $"element {i}: recorded {a[i]:R}, unrecorded {b[i]:R}");
        }
    }
}
