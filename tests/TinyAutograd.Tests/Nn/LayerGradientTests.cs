using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Nn;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Nn;

/// <summary>
/// Every layer's gradients of its input and parameters against central finite differences, and its second-order and
/// forward-mode properties (H·v against differences of gradients, both HVP methods agreeing, symmetry, linearity,
/// J·v against differences, adjointness), in double on random shapes.
/// </summary>
public sealed class LayerGradientTests
{
    private const int Cases = 12;
    private static readonly Tolerance GradientTolerance = new(1e-7, 1e-6);

    private static Gen<OpCase> LinearCases =>
        from inFeatures in Gen.Choose(1, 4)
        from outFeatures in Gen.Choose(1, 4)
        from bias in Gen.Elements(true, false)
        from shape in LayerCase.Leading(inFeatures)
        from seed in Gen.Choose(0, 1000)
        from x in TensorGen.Of(new Shape(shape), Values.General)
        from opCase in LayerCase.Of(new Linear<double>(inFeatures, outFeatures, new RandomSource((ulong)seed), bias), x)
        select opCase;

    private static Gen<OpCase> LayerNormCases =>
        from features in Gen.Choose(2, 4)
        from twoAxes in Gen.Elements(false, true)
        from batch in Gen.Choose(1, 3)
        from affine in Gen.Elements(true, false)
        let normalized = twoAxes ? new[] { 2, features } : new[] { features }
        from x in TensorGen.Of(new Shape([batch, .. normalized]), Values.General)
        from opCase in LayerCase.WithRandomParameters(new LayerNorm<double>(normalized, elementwiseAffine: affine), LayerCase.Spread(x, x.Rank - 1), Values.Weight)
        select opCase;

    private static Gen<OpCase> BatchNormCases =>
        from features in Gen.Choose(1, 3)
        from batch in Gen.Choose(2, 4)
        from withLength in Gen.Elements(false, true)
        from training in Gen.Elements(true, false)
        let shape = withLength ? new[] { batch, features, 2 } : new[] { batch, features }
        from x in TensorGen.Of(new Shape(shape), Values.General)
        from opCase in LayerCase.WithRandomParameters(Mode(new BatchNorm1d<double>(features), training), LayerCase.Spread(x, 0), Values.Weight)
        select opCase;

    private static Gen<OpCase> DropoutCases =>
        from p in Gen.Elements(0.0, 0.3, 0.5)
        from seed in Gen.Choose(0, 1000)
        from x in TensorGen.Of(Values.General)
        select OpCase.Of($"Dropout p={p}", xs => new Dropout<double>(p, (ulong)seed).Forward(xs[0]), x) into cases
        from opCase in cases
        select opCase;

    private static Gen<OpCase> SequentialCases =>
        from seed in Gen.Choose(0, 1000)
        from batch in Gen.Choose(1, 3)
        from x in TensorGen.Of(new Shape(batch, 2, 2), Values.General)
        let random = new RandomSource((ulong)seed)
        from opCase in LayerCase.Of(new Sequential<double>(
            new Flatten<double>(), new Linear<double>(4, 3, random), new Tanh<double>(), new LayerNorm<double>(3, epsilon: 0.5), new Linear<double>(3, 2, random), new Softplus<double>()), x)
        select opCase;

    private static Gen<OpCase> ActivationCases =>
        from layer in Gen.Elements<Layer<double>>(new Tanh<double>(), new Sigmoid<double>(), new Softplus<double>(), new Softmax<double>(-1), new LogSoftmax<double>(0), new Flatten<double>(0))
        from x in TensorGen.Of(new Shape(2, 3), Values.General)
        from opCase in LayerCase.Of(layer, x)
        select opCase;

    private static Gen<OpCase> ReluCases =>
        from x in TensorGen.Of(Values.AwayFromZero)
        from opCase in LayerCase.Of(new Relu<double>(), x)
        select opCase;

    private static Gen<OpCase> EmbeddingCases =>
        from count in Gen.Choose(1, 5)
        from dimension in Gen.Choose(1, 3)
        from ids in Gen.ArrayOf(Gen.Choose(0, count - 1), 4)
        from seed in Gen.Choose(0, 1000)
        let layer = new Embedding<double>(count, dimension, new RandomSource((ulong)seed))
        from opCase in OpCase.Of(layer.Description, xs => layer.WithParameters(xs, () => layer.Forward(ids, 2, 2)), [.. layer.Parameters()])
        select opCase;

    /// <summary>
    /// Conv2d on awkward configurations: stride 2, padding (one side "same" with an even kernel), dilation 2, groups 2,
    /// odd sizes, batch 1; and 3×3 at stride 1 with 16 channels or more, which runs by Winograd's F(2×2, 3×3).
    /// </summary>
    private static Gen<OpCase> Conv2dCases =>
        from configuration in Gen.Elements(
            (In: 2, Out: 2, Kernel: new Size2d(3, 2), Stride: new Size2d(2, 1), Padding: (Padding2d)1, Dilation: new Size2d(1, 1), Groups: 2, Bias: true),
            (In: 1, Out: 2, Kernel: new Size2d(2, 2), Stride: new Size2d(1, 1), Padding: Padding2d.Same, Dilation: new Size2d(1, 1), Groups: 1, Bias: true),
            (In: 2, Out: 1, Kernel: new Size2d(2, 3), Stride: new Size2d(1, 2), Padding: (Padding2d)(0, 1), Dilation: new Size2d(2, 1), Groups: 1, Bias: false),
            (In: 16, Out: 16, Kernel: new Size2d(3, 3), Stride: new Size2d(1, 1), Padding: (Padding2d)1, Dilation: new Size2d(1, 1), Groups: 1, Bias: true),
            (In: 17, Out: 16, Kernel: new Size2d(3, 3), Stride: new Size2d(1, 1), Padding: (Padding2d)(2, 0), Dilation: new Size2d(1, 1), Groups: 1, Bias: false))
        from batch in Gen.Choose(1, 2)
        from height in Gen.Choose(3, 5)
        from width in Gen.Choose(3, 4)
        from seed in Gen.Choose(0, 1000)
        let c = configuration
        from x in TensorGen.Of(new Shape(batch, c.In, height, width), Values.General)
        from opCase in LayerCase.Of(new Conv2d<double>(c.In, c.Out, c.Kernel, new RandomSource((ulong)seed), c.Stride, c.Padding, c.Dilation, c.Groups, c.Bias), x)
        select opCase;

    /// <summary>Conv1d on awkward configurations: stride 2 with padding and groups, "same" with an even kernel, dilation 2 without bias, odd lengths, batch 1.</summary>
    private static Gen<OpCase> Conv1dCases =>
        from configuration in Gen.Elements(
            (In: 2, Out: 4, Kernel: 3, Stride: 2, Padding: (Padding1d)1, Dilation: 1, Groups: 2, Bias: true),
            (In: 1, Out: 2, Kernel: 4, Stride: 1, Padding: Padding1d.Same, Dilation: 1, Groups: 1, Bias: true),
            (In: 3, Out: 1, Kernel: 2, Stride: 3, Padding: (Padding1d)2, Dilation: 2, Groups: 1, Bias: false))
        from batch in Gen.Choose(1, 2)
        from length in Gen.Choose(4, 7)
        from seed in Gen.Choose(0, 1000)
        let c = configuration
        from x in TensorGen.Of(new Shape(batch, c.In, length), Values.General)
        from opCase in LayerCase.Of(new Conv1d<double>(c.In, c.Out, c.Kernel, new RandomSource((ulong)seed), c.Stride, c.Padding, c.Dilation, c.Groups, c.Bias), x)
        select opCase;

    /// <summary>
    /// AvgPool2d after tanh (so that the Hessian is not zero and second order exercises the pooling's own gradient):
    /// overlapping windows with padding, the default stride, and padding left out of the divisor; odd sizes, batch 1.
    /// </summary>
    private static Gen<OpCase> AvgPool2dCases =>
        from pool in Gen.Elements(
            new AvgPool2d<double>((3, 2), stride: (2, 1), padding: 1),
            new AvgPool2d<double>(2),
            new AvgPool2d<double>(3, stride: 2, padding: (1, 0), countIncludePad: false))
        from batch in Gen.Choose(1, 2)
        from height in Gen.Choose(3, 5)
        from width in Gen.Choose(3, 4)
        from x in TensorGen.Of(new Shape(batch, 2, height, width), Values.General)
        from opCase in LayerCase.Of(new Sequential<double>(new Tanh<double>(), pool), x)
        select opCase;

    /// <summary>AdaptiveAvgPool2d after tanh, to sizes that divide the input, overlap (odd sizes), exceed it, or are global (1×1).</summary>
    private static Gen<OpCase> AdaptiveAvgPool2dCases =>
        from output in Gen.Elements(new Size2d(1, 1), new Size2d(2, 3), new Size2d(3, 2))
        from batch in Gen.Choose(1, 2)
        from height in Gen.Choose(2, 5)
        from width in Gen.Choose(1, 4)
        from x in TensorGen.Of(new Shape(batch, 2, height, width), Values.General)
        from opCase in LayerCase.Of(new Sequential<double>(new Tanh<double>(), new AdaptiveAvgPool2d<double>(output)), x)
        select opCase;

    /// <summary>BatchNorm2d in training and evaluation mode; the values of each channel spread along the batch (or, for a batch of 1, the height).</summary>
    private static Gen<OpCase> BatchNorm2dCases =>
        from channels in Gen.Choose(1, 3)
        from batch in Gen.Choose(1, 3)
        from height in Gen.Choose(2, 3)
        from width in Gen.Choose(1, 3)
        from training in Gen.Elements(true, false)
        from x in TensorGen.Of(new Shape(batch, channels, height, width), Values.General)
        from opCase in LayerCase.WithRandomParameters(Mode(new BatchNorm2d<double>(channels), training), LayerCase.Spread(x, batch == 1 ? 2 : 0), Values.Weight)
        select opCase;

    public static TheoryData<string> Layers => ["Conv2d", "Conv1d", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm2d", "Linear", "LayerNorm", "BatchNorm1d", "Dropout", "Sequential", "Activations", "Relu", "Embedding"];

    [Theory]
    [MemberData(nameof(Layers))]
    public void GradientsMatchFiniteDifferences(string layer) =>
        Properties.GradientMatchesFiniteDifferences(CasesOf(layer), GradientTolerance, Cases);

    [Theory]
    [MemberData(nameof(Layers))]
    public void SecondOrderAndForwardModeHold(string layer) =>
        Properties.SecondOrderHolds(CasesOf(layer), SecondOrderTolerances.Standard, Cases);

    private static Gen<OpCase> CasesOf(string layer) => layer switch
    {
        "Conv2d" => Conv2dCases,
        "Conv1d" => Conv1dCases,
        "AvgPool2d" => AvgPool2dCases,
        "AdaptiveAvgPool2d" => AdaptiveAvgPool2dCases,
        "BatchNorm2d" => BatchNorm2dCases,
        "Linear" => LinearCases,
        "LayerNorm" => LayerNormCases,
        "BatchNorm1d" => BatchNormCases,
        "Dropout" => DropoutCases,
        "Sequential" => SequentialCases,
        "Activations" => ActivationCases,
        "Relu" => ReluCases,
        "Embedding" => EmbeddingCases,
        _ => throw new ArgumentException($"No cases for {layer}.", nameof(layer)),
    };

    private static Layer<double> Mode(Layer<double> layer, bool training)
    {
        layer.Train(training);
        return layer;
    }
}
