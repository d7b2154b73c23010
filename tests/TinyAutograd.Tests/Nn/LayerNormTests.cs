using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

public sealed class LayerNormTests
{
    /// <summary>
    /// The normalization's unrecorded backward (one sweep per row over the saved deviations) and its recorded one (ops on
    /// the output, with the deviation recomputed from the input) agree to rounding, over one and two normalized axes,
    /// rows long enough for several vector registers and a ragged tail, and a small ε; with and without the affine
    /// parameters, whose gradients (sums over the rows) the plain backward forms in the same sweep.
    /// </summary>
    [Theory]
    [InlineData(new[] { 3, 37 }, new[] { 37 }, true)]
    [InlineData(new[] { 2, 4, 5, 6 }, new[] { 5, 6 }, true)]
    [InlineData(new[] { 1, 130 }, new[] { 130 }, true)]
    [InlineData(new[] { 5, 6 }, new[] { 5, 6 }, true)]
    [InlineData(new[] { 3, 37 }, new[] { 37 }, false)]
    [InlineData(new[] { 2, 4, 5, 6 }, new[] { 5, 6 }, false)]
    public void PlainBackwardMatchesRecorded(int[] shape, int[] normalized, bool affine)
    {
        var random = new RandomSource(11);
        var layer = new LayerNorm<double>(normalized, epsilon: 1e-6, elementwiseAffine: affine);
        foreach (var parameter in layer.Parameters())
        {
            using (GradMode.Disable())
            {
                random.Normal<double>([.. parameter.Shape.Dimensions]).Data.CopyTo(parameter.GetSpanForWrite());
            }
        }
        var x = random.Normal<double>(shape).RequireGrad();
        var weights = random.Uniform<double>(shape, 0.5, 1.5);
        Tensor<double>[] operands = [x, .. layer.Parameters()];
        Tensor<double>[] Gradients(bool createGraph) => AutoDiff.Gradients((layer.Forward(x) * weights).Sum(), operands, createGraph: createGraph);
        var plain = Gradients(createGraph: false);
        var recorded = Gradients(createGraph: true);
        for (int i = 0; i < operands.Length; i++)
        {
            for (int j = 0; j < plain[i].Length; j++)
            {
                double expected = recorded[i].Data[j];
                Assert.True(Math.Abs(plain[i].Data[j] - expected) <= 1e-13 * (1 + Math.Abs(expected)), $"operand {i}, element {j}: plain {plain[i].Data[j]:R}, recorded {expected:R}.");
            }
        }
    }

    /// <summary>
    /// In float, the row sweeps (whole registers of eight and a ragged tail) give the output and all three gradients of
    /// the same layer in double to within a few float roundings of each value's scale.
    /// </summary>
    [Theory]
    [InlineData(4, 37)]
    [InlineData(2, 130)]
    public void FloatMatchesDouble(int rows, int features)
    {
        var random = new RandomSource(12);
        var x = random.Normal<double>([rows, features]);
        var weight = random.Uniform<double>([features], 0.5, 1.5);
        var bias = random.Normal<double>([features]);
        var seed = random.Normal<double>([rows, features]);
        var expected = Run<double>(x.ToArray(), weight.ToArray(), bias.ToArray(), seed.ToArray(), rows, features);
        var actual = Run<float>(x.ToArray(), weight.ToArray(), bias.ToArray(), seed.ToArray(), rows, features);
        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        for (int k = 0; k < expected.Length; k++)
        {
            double scale = expected[k].Max(Math.Abs);
            for (int i = 0; i < expected[k].Length; i++)
            {
                Assert.True(Math.Abs(actual[k][i] - expected[k][i]) <= 1e-5 * (1 + scale), $"{names[k]} {i}: float {actual[k][i]:R}, double {expected[k][i]:R}.");
            }
        }
    }

    private static double[][] Run<T>(double[] x, double[] weight, double[] bias, double[] seed, int rows, int features)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        static T[] Of(double[] values) => [.. values.Select(T.CreateTruncating)];
        static double[] Back(Tensor<T> t) => [.. t.ToArray().Select(double.CreateTruncating)];
        var layer = new LayerNorm<T>(features);
        var (w, b) = (layer.Parameters()[0], layer.Parameters()[1]);
        using (GradMode.Disable())
        {
            Of(weight).CopyTo(w.GetSpanForWrite());
            Of(bias).CopyTo(b.GetSpanForWrite());
        }
        var input = Tensor.FromArray(Of(x), rows, features).RequireGrad();
        var output = layer.Forward(input);
        var gradients = AutoDiff.Gradients(output, [input, w, b], Tensor.FromArray(Of(seed), rows, features));
        return [Back(output), .. gradients.Select(Back)];
    }
}
