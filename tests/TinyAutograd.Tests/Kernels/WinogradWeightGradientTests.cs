using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="WinogradConvolution.WeightGradient{T}"/> against the direct sum in double,
/// ∂L/∂W[o, c, i, j] = Σ_n Σ_(p, q) g[n, o, p, q]·x[n, c, p − top + i, q − left + j] over the taps inside the image.
/// Tolerance per element: tol·(Σ|g·x| over its terms), tol = 1e-13 for double and 1e-5 for float (the transforms add
/// up to 16 terms before the products). The geometries give bands of tile rows, groups of small images and a single
/// image, with the chunks cut into several parts or kept whole; every result must be bit-identical on 1, 2 and 3
/// threads. The class changes <see cref="Parallelism.MaxThreads"/>, so it joins the non-parallel "Gemm thread count"
/// collection.
/// </summary>
[Collection("Gemm thread count")]
public sealed class WinogradWeightGradientTests
{
    public static TheoryData<string> Cases => [.. Geometries.Keys];

    private static readonly Dictionary<string, (ConvGeometry Geometry, int OutChannels)> Geometries = new()
    {
        ["3 images of 40x40, bands of tile rows in 12 parts"] = (new(3, 16, 40, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 20),
        ["9 images of 7x9 grouped into chunks, padding 2 and 0"] = (new(9, 17, 7, 9, 3, 3, 1, 1, 2, 2, 0, 0, 1, 1), 16),
        ["one image in one chunk"] = (new(1, 32, 12, 11, 3, 3, 1, 1, 1, 0, 0, 1, 1, 1), 24),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoubleMatchesDirectSum(string name) => Check<double>(name, 1e-13);

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatMatchesDirectSum(string name) => Check<float>(name, 1e-5);

    private static void Check<T>(string name, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, outChannels) = Geometries[name];
        var random = new Random(name.Length);
        T[] Random(int length) => Enumerable.Range(0, length).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
        var x = Random(g.Batch * g.Channels * g.Height * g.Width);
        var dy = Random(g.Batch * outChannels * g.Positions);
        var (expected, scale) = Direct(g, outChannels, x, dy);

        var one = Run(g, outChannels, x, dy, threads: 1);
        for (int e = 0; e < expected.Length; e++)
        {
            double error = Math.Abs(double.CreateTruncating(one[e]) - expected[e]);
            Assert.True(error <= tolerance * scale[e],
                $"{name} ({typeof(T).Name}): element {e} is {one[e]}, the direct sum gives {expected[e]} (error {error:g3}).");
        }
        Assert.Equal(one, Run(g, outChannels, x, dy, threads: 2));
        Assert.Equal(one, Run(g, outChannels, x, dy, threads: 3));
    }

    private static T[] Run<T>(ConvGeometry g, int outChannels, T[] x, T[] dy, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int previous = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            var dw = new T[outChannels * g.Channels * 9];
            WinogradConvolution.WeightGradient<T>(g, outChannels, x, dy, dw);
            return dw;
        }
        finally
        {
            Parallelism.MaxThreads = previous;
        }
    }

    /// <summary>∂L/∂W term by term in double, and per weight Σ|g·x| (the tolerance's scale).</summary>
    private static (double[] Values, double[] Scale) Direct<T>(ConvGeometry g, int outChannels, T[] x, T[] dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new double[outChannels * g.Channels * 9];
        var scale = new double[values.Length];
        for (int o = 0; o < outChannels; o++)
        for (int c = 0; c < g.Channels; c++)
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
        {
            double sum = 0, magnitude = 0;
            for (int n = 0; n < g.Batch; n++)
            for (int p = 0; p < g.OutHeight; p++)
            for (int q = 0; q < g.OutWidth; q++)
            {
                int row = p - g.PadTop + i, column = q - g.PadLeft + j;
                if (row < 0 || row >= g.Height || column < 0 || column >= g.Width)
                {
                    continue;
                }
                double term = double.CreateTruncating(dy[((n * outChannels + o) * g.OutHeight + p) * g.OutWidth + q]) *
                    double.CreateTruncating(x[((n * g.Channels + c) * g.Height + row) * g.Width + column]);
                sum += term;
                magnitude += Math.Abs(term);
            }
            int index = ((o * g.Channels + c) * 3 + i) * 3 + j;
            values[index] = sum;
            scale[index] = magnitude;
        }
        return (values, scale);
    }
}
