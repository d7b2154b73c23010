using TinyAutograd.Nn;
using Xunit.Abstractions;

namespace TinyAutograd.Onnx.Tests;

/// <summary>Each covered layer alone: exported, run in ONNX Runtime, compared with the library's float32 forward pass.</summary>
public sealed class LayerExportTests(ITestOutputHelper output)
{
    /// <summary>A layer built from a generator, and the input shape it is run on.</summary>
    private sealed record Case(Func<RandomSource, Layer<float>> Build, int[] InputShape);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["Linear on [N, in]"] = new(random => new Linear<float>(6, 4, random), [3, 6]),
        ["Linear without bias on [N, L, in]"] = new(random => new Linear<float>(6, 4, random, bias: false), [2, 3, 6]),
        ["Linear on [N, L, in]"] = new(random => new Linear<float>(5, 3, random), [2, 4, 5]),
        ["Conv2d 3×3"] = new(random => new Conv2d<float>(3, 4, 3, random), [2, 3, 7, 6]),
        ["Conv2d stride, padding, dilation, groups, no bias"] = new(random => new Conv2d<float>(4, 6, (3, 2), random, stride: (2, 1), padding: (1, 2), dilation: (2, 1), groups: 2, bias: false), [2, 4, 9, 7]),
        ["Conv2d same padding, even kernel"] = new(random => new Conv2d<float>(2, 3, (4, 3), random, padding: "same", dilation: (1, 2)), [1, 2, 8, 7]),
        ["Conv1d"] = new(random => new Conv1d<float>(3, 4, 3, random), [2, 3, 9]),
        ["Conv1d stride, padding, groups, no bias"] = new(random => new Conv1d<float>(4, 6, 3, random, stride: 2, padding: 2, groups: 2, bias: false), [2, 4, 10]),
        ["Conv1d same padding, even kernel, dilation"] = new(random => new Conv1d<float>(2, 3, 4, random, padding: "same", dilation: 2), [1, 2, 11]),
        ["MaxPool2d 2×2"] = new(_ => new MaxPool2d<float>(2), [2, 3, 8, 6]),
        ["MaxPool2d stride, padding, dilation"] = new(_ => new MaxPool2d<float>((3, 2), stride: (2, 1), padding: (1, 1), dilation: (1, 2)), [2, 2, 9, 8]),
        ["AvgPool2d 2×2"] = new(_ => new AvgPool2d<float>(2), [2, 3, 8, 6]),
        ["AvgPool2d padding counted"] = new(_ => new AvgPool2d<float>(3, stride: 2, padding: 1), [2, 2, 7, 8]),
        ["AvgPool2d padding not counted"] = new(_ => new AvgPool2d<float>((3, 2), stride: (2, 1), padding: (1, 1), countIncludePad: false), [2, 2, 7, 8]),
        ["AdaptiveAvgPool2d to 1×1 (global)"] = new(_ => new AdaptiveAvgPool2d<float>(1), [2, 3, 5, 7]),
        ["AdaptiveAvgPool2d to 3×2, uneven windows"] = new(_ => new AdaptiveAvgPool2d<float>((3, 2)), [2, 3, 7, 5]),
        ["BatchNorm2d"] = new(_ => new BatchNorm2d<float>(3), [2, 3, 4, 5]),
        ["BatchNorm2d no affine"] = new(_ => new BatchNorm2d<float>(2, epsilon: 1e-3, affine: false), [2, 2, 3, 3]),
        ["Relu"] = new(_ => new Relu<float>(), [3, 5]),
        ["Tanh"] = new(_ => new Tanh<float>(), [3, 5]),
        ["Sigmoid"] = new(_ => new Sigmoid<float>(), [3, 5]),
        ["Softplus"] = new(_ => new Softplus<float>(), [3, 5]),
        ["Softmax along axis 1 of 3"] = new(_ => new Softmax<float>(1), [2, 4, 3]),
        ["LogSoftmax along the last axis"] = new(_ => new LogSoftmax<float>(), [3, 7]),
        ["LayerNorm over the last axis"] = new(_ => new LayerNorm<float>(5), [3, 4, 5]),
        ["LayerNorm over two axes, no affine"] = new(_ => new LayerNorm<float>([3, 5], epsilon: 1e-3, elementwiseAffine: false), [2, 3, 5]),
        ["BatchNorm1d on [N, C]"] = new(_ => new BatchNorm1d<float>(4), [5, 4]),
        ["BatchNorm1d on [N, C, L], no affine"] = new(_ => new BatchNorm1d<float>(3, epsilon: 1e-3, affine: false), [2, 3, 6]),
        ["Flatten from axis 1"] = new(_ => new Flatten<float>(), [2, 3, 4, 5]),
        ["Flatten axes 0 to 2"] = new(_ => new Flatten<float>(0, 2), [2, 3, 4, 5]),
        ["Flatten axes 1 to 2 of 4"] = new(_ => new Flatten<float>(1, -2), [2, 3, 4, 5]),
        ["Dropout (identity in evaluation)"] = new(random => new Dropout<float>(0.5, random), [3, 5]),
    };

    public static TheoryData<string> LayerNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Layer_agrees_with_onnx_runtime(string name)
    {
        var random = new RandomSource(17);
        var layer = Cases[name].Build(random);
        TrainedState.Randomize(layer, random);
        layer.Eval();
        var input = random.Uniform<float>(Cases[name].InputShape, -3, 3);

        byte[] file = OnnxExport.ToBytes(layer, OnnxInput.Values(Cases[name].InputShape));

        OutputAgreement.Assert(Forward(layer, input), OnnxRuntimeRunner.Run(file, input), output, name);
    }

    [Fact]
    public void Linear_on_a_vector_agrees_with_onnx_runtime()
    {
        var random = new RandomSource(5);
        var linear = new Linear<float>(6, 3, random);
        var input = random.Uniform<float>([6], -1, 1);

        byte[] file = OnnxExport.ToBytes(linear, OnnxInput.Values(6) with { DynamicBatch = false });

        OutputAgreement.Assert(Forward(linear, input), OnnxRuntimeRunner.Run(file, input), output, "Linear on [in]");
    }

    [Fact]
    public void Embedding_agrees_with_onnx_runtime_on_token_ids()
    {
        var random = new RandomSource(11);
        var embedding = new Embedding<float>(10, 4, random);
        int[] ids = [3, 0, 9, 9, 1, 4];

        byte[] file = OnnxExport.ToBytes(embedding, OnnxInput.TokenIds(2, 3));

        Tensor<float> expected;
        using (GradMode.Disable())
        {
            expected = embedding.Forward(ids, 2, 3);
        }
        OutputAgreement.Assert(expected, OnnxRuntimeRunner.Run(file, ids, [2, 3]), output, "Embedding");
    }

    private static Tensor<float> Forward(Layer<float> layer, Tensor<float> input)
    {
        using (GradMode.Disable())
        {
            return layer.Forward(input);
        }
    }
}
