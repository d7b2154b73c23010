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
}
