using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="DirectConvolution"/>, which reads windows of a few taps straight from the padded image, against the
/// product path it stands in for (<see cref="ConvolutionKernel.ForwardByProducts{T}"/>, itself checked against a
/// convolution summed in double by <see cref="ConvolutionKernelTests"/>): the two must agree bit for bit, with a bias
/// and without, in float and double, on one thread and on two. The geometries cross the path's edges: a channel group
/// cut short (output channels not a multiple of six), output rows a whole number of runs or not (the last run moved
/// back over positions already made), fewer taps than nine, several input channels, dilation, stride along the height,
/// one-sided padding and padding wider than the kernel. The class changes <see cref="Parallelism.MaxThreads"/>, so it
/// joins the non-parallel "Gemm thread count" collection.
/// </summary>
[Collection("Gemm thread count")]
public sealed class DirectConvolutionTests
{
    public static TheoryData<string> Cases => [.. Geometries.Keys];

    private static readonly Dictionary<string, (ConvGeometry Geometry, int OutChannels)> Geometries = new()
    {
        ["1 to 32 at 28x28, padding 1, 8 images (two ranges on two threads)"] = (new(8, 1, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 32),
        ["1 to 7 at 18x18 without padding: rows of exactly 16 positions"] = (new(2, 1, 18, 18, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1), 7),
        ["2 channels, 2x2 kernel, dilation 2 by 3, stride 2 down"] = (new(2, 2, 13, 40, 2, 2, 2, 1, 1, 0, 2, 1, 2, 3), 11),
        ["3 channels, 1x1 kernel, 5 outputs, rows of 33"] = (new(2, 3, 4, 33, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1), 5),
        ["1 channel, 3x3 kernel, padding 3 on the right only"] = (new(1, 1, 6, 20, 3, 3, 1, 1, 2, 0, 0, 3, 1, 1), 6),
        ["1 channel, 1x9 kernel, one output channel"] = (new(2, 1, 3, 30, 1, 9, 1, 1, 0, 0, 4, 4, 1, 1), 1),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatMatchesTheProductPath(string name) => Check<float>(name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoubleMatchesTheProductPath(string name) => Check<double>(name);

    [Fact]
    public void OtherGeometriesAreLeftToTheProducts()
    {
        var oneChannel = new ConvGeometry(1, 1, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal(Fma.IsSupported, DirectConvolution.Handles<float>(oneChannel, groups: 1));
        Assert.False(DirectConvolution.Handles<float>(oneChannel with { Channels = 2 }, groups: 1), "18 taps");
        Assert.False(DirectConvolution.Handles<float>(oneChannel with { StrideWidth = 2 }, groups: 1), "stride 2 along the width");
        Assert.False(DirectConvolution.Handles<float>(oneChannel with { Channels = 2, KernelHeight = 1, KernelWidth = 1 }, groups: 2), "two groups");
        Assert.False(DirectConvolution.Handles<float>(oneChannel with { Width = 2 * Vector256<float>.Count - 1, PadLeft = 0, PadRight = 2 }, groups: 1), "rows narrower than a run");
    }

    private static void Check<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, outChannels) = Geometries[name];
        Assert.True(DirectConvolution.Handles<T>(g, groups: 1) || !Fma.IsSupported, $"{name}: the direct path should take this geometry.");
        var random = new Random(name.Length);
        T[] Random(int length) => Enumerable.Range(0, length).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
        var x = Random(g.Batch * g.Channels * g.Height * g.Width);
        var w = Random(outChannels * g.Rows);
        foreach (var b in new[] { Random(outChannels), [] })
        {
            var expected = new T[g.Batch * outChannels * g.Positions];
            ConvolutionKernel.ForwardByProducts<T>(g, 1, outChannels, x, w, b, expected);
            foreach (int threads in new[] { 1, 2 })
            {
                var actual = Run(g, outChannels, x, w, b, threads);
                for (int e = 0; e < expected.Length; e++)
                {
                    Assert.True(BitsOf(actual[e]) == BitsOf(expected[e]),
                        $"{name} ({typeof(T).Name}, {(b.Length > 0 ? "with" : "without")} a bias, {threads} thread(s)): element {e} is {actual[e]}, the product path gives {expected[e]}.");
                }
            }
        }
    }

    private static long BitsOf<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits(float.CreateTruncating(value)) : BitConverter.DoubleToInt64Bits(double.CreateTruncating(value));

    private static T[] Run<T>(ConvGeometry g, int outChannels, T[] x, T[] w, T[] b, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int previous = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            var y = new T[g.Batch * outChannels * g.Positions];
            ConvolutionKernel.Forward<T>(g, 1, outChannels, x, w, b, y);
            return y;
        }
        finally
        {
            Parallelism.MaxThreads = previous;
        }
    }
}
