using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="ConvolutionKernel.Forward{T}"/>, whose product forms the image's columns while packing, against a
/// direct convolution summed in double: y[n, o, p, q] = b[o] + Σ W[o, c, i, j]·x[n, g·C/G + c, p·sh − top + i·dh,
/// q·sw − left + j·dw] over the taps inside the image. Tolerance per element: tol·K·(Σ|W·x| + |b|) with K the taps per
/// output, tol = 1e-13 for double and 1e-6 for float. The shapes cross the product's depth and width blocks, panel
/// edges inside an output row, strides, dilations, one-sided padding and groups, each with a bias and without (then
/// b = 0); every result must also be bit-identical with one thread and with two. The class changes
/// <see cref="Parallelism.MaxThreads"/>, so it joins the non-parallel "Gemm thread count" collection.
/// </summary>
[Collection("Gemm thread count")]
public sealed class ConvolutionKernelTests
{
    public static TheoryData<string> Cases => [.. Geometries.Keys];

    private static readonly Dictionary<string, (ConvGeometry Geometry, int Groups, int OutChannels)> Geometries = new()
    {
        ["64 to 64 at 32x32, depth beyond one block"] = (new(2, 64, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 1, 64),
        ["32 to 64 at 14x14, rows narrower than a panel"] = (new(3, 32, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 1, 64),
        ["1 to 32 at 28x28"] = (new(2, 1, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 1, 32),
        ["odd sizes, 70 channels"] = (new(2, 70, 15, 17, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 1, 10),
        ["stride 2 by 1, one-sided padding, dilation 1 by 2, 2 groups"] = (new(1, 8, 9, 11, 3, 2, 2, 1, 2, 0, 1, 1, 1, 2), 2, 6),
        ["stride 3, wide padding"] = (new(2, 5, 10, 13, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1), 1, 7),
        ["kernel as large as the padded image"] = (new(3, 4, 5, 5, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1), 1, 4),
        ["same padding, dilation 2 by 1, an even kernel padded on one side"] = (new(2, 3, 9, 10, 3, 2, 1, 1, 2, 2, 0, 1, 2, 1), 1, 5),
        ["same padding, kernel wider than the image"] = (new(1, 2, 3, 2, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1), 1, 3),
        ["4 groups, 1x1 kernel, long rows"] = (new(2, 12, 3, 70, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1), 4, 8),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoubleMatchesDirectConvolution(string name) => Check<double>(name, 1e-13);

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatMatchesDirectConvolution(string name) => Check<float>(name, 1e-6);

    private static void Check<T>(string name, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, groups, outChannels) = Geometries[name];
        var random = new Random(name.Length);
        T[] Random(int length) => Enumerable.Range(0, length).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
        var x = Random(g.Batch * g.Channels * g.Height * g.Width);
        var w = Random(outChannels * g.Rows / groups);
        foreach (var b in new[] { Random(outChannels), [] })
        {
            var (expected, scale) = Direct(g, groups, outChannels, x, w, b.Length > 0 ? b : new T[outChannels]);

            var one = Run(g, groups, outChannels, x, w, b, threads: 1);
            var two = Run(g, groups, outChannels, x, w, b, threads: 2);

            int taps = g.Rows / groups;
            for (int e = 0; e < expected.Length; e++)
            {
                double error = Math.Abs(double.CreateTruncating(one[e]) - expected[e]);
                Assert.True(error <= tolerance * taps * scale[e] + 1e-300,
                    $"{name} ({typeof(T).Name}, {(b.Length > 0 ? "with" : "without")} a bias): element {e} is {one[e]}, the direct convolution gives {expected[e]} (error {error:g3}).");
            }
            Assert.Equal(one, two);
        }
    }

    private static T[] Run<T>(ConvGeometry g, int groups, int outChannels, T[] x, T[] w, T[] b, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int previous = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            var y = new T[g.Batch * outChannels * g.Positions];
            ConvolutionKernel.Forward<T>(g, groups, outChannels, x, w, b, y);
            return y;
        }
        finally
        {
            Parallelism.MaxThreads = previous;
        }
    }

    /// <summary>The convolution tap by tap in double, and per output Σ|W·x| + |b| (the tolerance's scale).</summary>
    private static (double[] Values, double[] Scale) Direct<T>(ConvGeometry g, int groups, int outChannels, T[] x, T[] w, T[] b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inPerGroup = g.Channels / groups, outPerGroup = outChannels / groups;
        var values = new double[g.Batch * outChannels * g.Positions];
        var scale = new double[values.Length];
        for (int n = 0; n < g.Batch; n++)
        for (int o = 0; o < outChannels; o++)
        for (int p = 0; p < g.OutHeight; p++)
        for (int q = 0; q < g.OutWidth; q++)
        {
            double sum = double.CreateTruncating(b[o]), magnitude = Math.Abs(sum);
            for (int c = 0; c < inPerGroup; c++)
            for (int i = 0; i < g.KernelHeight; i++)
            for (int j = 0; j < g.KernelWidth; j++)
            {
                int row = p * g.StrideHeight - g.PadTop + i * g.DilationHeight, column = q * g.StrideWidth - g.PadLeft + j * g.DilationWidth;
                if (row < 0 || row >= g.Height || column < 0 || column >= g.Width)
                {
                    continue;
                }
                int channel = o / outPerGroup * inPerGroup + c;
                double term = double.CreateTruncating(w[((o * inPerGroup + c) * g.KernelHeight + i) * g.KernelWidth + j]) *
                    double.CreateTruncating(x[((n * g.Channels + channel) * g.Height + row) * g.Width + column]);
                sum += term;
                magnitude += Math.Abs(term);
            }
            int index = ((n * outChannels + o) * g.OutHeight + p) * g.OutWidth + q;
            values[index] = sum;
            scale[index] = magnitude;
        }
        return (values, scale);
    }
}
