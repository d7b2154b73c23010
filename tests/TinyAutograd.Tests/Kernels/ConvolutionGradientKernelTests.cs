using System.Numerics;
using TinyAutograd.Kernels;
using static TinyAutograd.Tests.Reliability.GemmThreadCountCollection;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="ConvolutionKernel.InputGradient{T}"/>, <see cref="ConvolutionKernel.WeightGradient{T}"/> (one
/// group) and <see cref="WinogradConvolution.WeightGradient{T}"/> against their definitions summed in double:
/// ∂L/∂x[n, c, r, s] = Σ g[n, o, p, q]·W[o, c, i, j] over the taps with r = p·sh − top + i·dh and
/// s = q·sw − left + j·dw, and ∂L/∂W[o, c, i, j] = Σ g[n, o, p, q]·x[n, c, r, s] over the taps inside the image.
/// Tolerance per element: 1e-13 (double) or 1e-5 (float) times the sum of its terms' magnitudes (the Winograd
/// transforms add up to 16 terms before the products). The batches give the weight gradients several parts
/// (Winograd's: bands of tile rows, and groups of small images in a chunk); every result must be bit-identical on 1, 2
/// and 3 threads, and again when the kernels run on recycled (not cleared) buffers, into outputs filled with NaN. The
/// class changes <see cref="Parallelism.MaxThreads"/>, so it joins the non-parallel "Gemm thread count" collection.
/// </summary>
[Collection("Gemm thread count")]
public sealed class ConvolutionGradientKernelTests
{
    public static TheoryData<string> Cases => [.. Geometries.Keys];

    private static readonly Dictionary<string, (ConvGeometry Geometry, int OutChannels)> Geometries = new()
    {
        ["1 to 32 at 28x28, 5 images"] = (new(5, 1, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 32),
        ["stride 2 by 1, one-sided padding, dilation 1 by 2"] = (new(3, 8, 9, 11, 3, 2, 2, 1, 2, 0, 1, 1, 1, 2), 6),
        ["stride 3, wide padding"] = (new(4, 5, 10, 13, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1), 7),
        ["kernel as large as the padded image"] = (new(3, 4, 5, 5, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1), 4),
        ["1x1 kernel, 20 images"] = (new(20, 12, 3, 7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1), 9),
    };

    public static TheoryData<string> WinogradCases => [.. WinogradGeometries.Keys];

    private static readonly Dictionary<string, (ConvGeometry Geometry, int OutChannels)> WinogradGeometries = new()
    {
        ["3 images of 40x40, bands of tile rows in 12 parts"] = (new(3, 16, 40, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 20),
        ["9 images of 7x9 grouped into chunks, padding 2 and 0"] = (new(9, 17, 7, 9, 3, 3, 1, 1, 2, 2, 0, 0, 1, 1), 16),
        ["one image in one chunk"] = (new(1, 32, 12, 11, 3, 3, 1, 1, 1, 0, 0, 1, 1, 1), 24),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoubleMatchesDefinitions(string name) => Check<double>(name, 1e-13);

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatMatchesDefinitions(string name) => Check<float>(name, 1e-5);

    [Theory]
    [MemberData(nameof(WinogradCases))]
    public void WinogradWeightGradientInDoubleMatchesDefinition(string name) => CheckWinograd<double>(name, 1e-13);

    [Theory]
    [MemberData(nameof(WinogradCases))]
    public void WinogradWeightGradientInFloatMatchesDefinition(string name) => CheckWinograd<float>(name, 1e-5);

    private static void Check<T>(string name, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, outChannels) = Geometries[name];
        var (x, w, dy) = Operands<T>(name, g, outChannels);
        var (dx, dxScale, dw, dwScale) = Direct(g, outChannels, x, w, dy);

        var one = WithMaxThreads(1, () => ImageByImage(g, outChannels, x, w, dy));
        AssertClose(name, "∂L/∂x", one.InputGradient, dx, dxScale, tolerance);
        AssertClose(name, "∂L/∂W", one.WeightGradient, dw, dwScale, tolerance);
        foreach (int threads in (int[])[1, 2, 3])
        {
            var again = WithMaxThreads(threads, () => ImageByImage(g, outChannels, x, w, dy));
            Assert.Equal(one.InputGradient, again.InputGradient);
            Assert.Equal(one.WeightGradient, again.WeightGradient);
        }
    }

    private static void CheckWinograd<T>(string name, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, outChannels) = WinogradGeometries[name];
        var (x, w, dy) = Operands<T>(name, g, outChannels);
        var (_, _, dw, dwScale) = Direct(g, outChannels, x, w, dy);

        var one = WithMaxThreads(1, () => Winograd(g, outChannels, x, dy));
        AssertClose(name, "∂L/∂W", one, dw, dwScale, tolerance);
        foreach (int threads in (int[])[1, 2, 3])
        {
            Assert.Equal(one, WithMaxThreads(threads, () => Winograd(g, outChannels, x, dy)));
        }
    }

    /// <summary>x, W and g = ∂L/∂y, uniform in [−1, 1), seeded by the case's name.</summary>
    private static (T[] X, T[] W, T[] Dy) Operands<T>(string name, ConvGeometry g, int outChannels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(name.Length);
        T[] Random(int length) => Enumerable.Range(0, length).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
        return (Random(g.Batch * g.Channels * g.Height * g.Width), Random(outChannels * g.Rows), Random(g.Batch * outChannels * g.Positions));
    }

    private static void AssertClose<T>(string name, string what, T[] actual, double[] expected, double[] scale, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int e = 0; e < expected.Length; e++)
        {
            double error = Math.Abs(double.CreateTruncating(actual[e]) - expected[e]);
            Assert.True(error <= tolerance * scale[e],
                $"{name} ({typeof(T).Name}): {what} element {e} is {actual[e]}, the definition gives {expected[e]} (error {error:g3}).");
        }
    }

    /// <summary>Both gradients image by image, each kernel in an arena of its own so that later calls get recycled buffers.</summary>
    private static (T[] InputGradient, T[] WeightGradient) ImageByImage<T>(ConvGeometry g, int outChannels, T[] x, T[] w, T[] dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // NaN where every element must be overwritten.
        var dx = Enumerable.Repeat(T.NaN, x.Length).ToArray();
        var dw = Enumerable.Repeat(T.NaN, w.Length).ToArray();
        using (TensorArena.Begin())
        {
            ConvolutionKernel.InputGradient<T>(g, outChannels, w, dy, dx);
        }
        using (TensorArena.Begin())
        {
            ConvolutionKernel.WeightGradient<T>(g, outChannels, x, dy, dw);
        }
        return (dx, dw);
    }

    /// <summary>The weight's gradient by Winograd, in an arena of its own.</summary>
    private static T[] Winograd<T>(ConvGeometry g, int outChannels, T[] x, T[] dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dw = Enumerable.Repeat(T.NaN, outChannels * g.Rows).ToArray();
        using (TensorArena.Begin())
        {
            WinogradConvolution.WeightGradient<T>(g, outChannels, x, dy, dw);
        }
        return dw;
    }

    /// <summary>Both gradients term by term in double, with the sums of their terms' magnitudes.</summary>
    private static (double[] Dx, double[] DxScale, double[] Dw, double[] DwScale) Direct<T>(ConvGeometry g, int outChannels, T[] x, T[] w, T[] dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (dx, dxScale) = (new double[x.Length], new double[x.Length]);
        var (dw, dwScale) = (new double[w.Length], new double[w.Length]);
        for (int n = 0; n < g.Batch; n++)
        for (int o = 0; o < outChannels; o++)
        for (int p = 0; p < g.OutHeight; p++)
        for (int q = 0; q < g.OutWidth; q++)
        {
            double gradient = double.CreateTruncating(dy[((n * outChannels + o) * g.OutHeight + p) * g.OutWidth + q]);
            for (int c = 0; c < g.Channels; c++)
            for (int i = 0; i < g.KernelHeight; i++)
            for (int j = 0; j < g.KernelWidth; j++)
            {
                int row = p * g.StrideHeight - g.PadTop + i * g.DilationHeight, column = q * g.StrideWidth - g.PadLeft + j * g.DilationWidth;
                if (row < 0 || row >= g.Height || column < 0 || column >= g.Width)
                {
                    continue;
                }
                int at = ((n * g.Channels + c) * g.Height + row) * g.Width + column;
                int tap = ((o * g.Channels + c) * g.KernelHeight + i) * g.KernelWidth + j;
                double toInput = gradient * double.CreateTruncating(w[tap]), toWeight = gradient * double.CreateTruncating(x[at]);
                (dx[at], dxScale[at]) = (dx[at] + toInput, dxScale[at] + Math.Abs(toInput));
                (dw[tap], dwScale[tap]) = (dw[tap] + toWeight, dwScale[tap] + Math.Abs(toWeight));
            }
        }
        return (dx, dxScale, dw, dwScale);
    }
}
