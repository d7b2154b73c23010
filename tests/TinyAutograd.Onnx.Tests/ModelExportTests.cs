using TinyAutograd.Examples.Models;
using TinyAutograd.Nn;
using Xunit.Abstractions;

namespace TinyAutograd.Onnx.Tests;

/// <summary>Whole models exported and run in ONNX Runtime: a perceptron, a convolutional network, token models.</summary>
public sealed class ModelExportTests(ITestOutputHelper output)
{
    [Fact]
    public void Mlp_agrees_with_onnx_runtime()
    {
        var random = new RandomSource(1);
        var mlp = new Sequential<float>(
            new Linear<float>(64, 32, random), new Relu<float>(), new Dropout<float>(0.2, random),
            new Linear<float>(32, 32, random), new Tanh<float>(), new LayerNorm<float>(32),
            new Linear<float>(32, 10, random), new LogSoftmax<float>());

        AssertTrainedModelAgrees(mlp, random, [8, 64], [8, 64], "MLP 64-32-32-10");
    }

    [Fact]
    public void Cnn_agrees_with_onnx_runtime()
    {
        var random = new RandomSource(2);

        AssertTrainedModelAgrees(Cnn(random), random, [4, 1, 14, 14], [4, 1, 14, 14], "CNN");
    }

    [Fact]
    public void The_batch_axis_is_free_in_the_file()
    {
        var random = new RandomSource(3);

        AssertTrainedModelAgrees(Cnn(random), random, [1, 1, 14, 14], [5, 1, 14, 14], "CNN exported at batch 1, run at batch 5");
    }

    [Fact]
    public void A_model_of_doubles_is_written_in_float32()
    {
        var random = new RandomSource(4);
        var mlp = new Sequential<double>(new Linear<double>(6, 8, random), new Sigmoid<double>(), new Linear<double>(8, 3, random));
        var input = random.Uniform<double>([4, 6], -1, 1);

        byte[] file = OnnxExport.ToBytes(mlp, OnnxInput.Values(4, 6));

        var single = Tensor.FromArray(input.ToArray().Select(x => (float)x).ToArray(), 4, 6);
        OutputAgreement.Assert(Forward(mlp, input), OnnxRuntimeRunner.Run(file, single), output, "MLP of doubles");
    }

    [Fact]
    public void A_model_of_your_own_is_exported_as_its_stages()
    {
        var random = new RandomSource(6);
        var model = new TokenClassifier(random);
        TrainedState.Randomize(model, random);
        model.Eval();
        int[] ids = [.. Enumerable.Range(0, 12).Select(_ => random.NextInt(TokenClassifier.Vocabulary))];

        byte[] file = OnnxExport.ToBytes([model.Embedding, model.Head], OnnxInput.TokenIds(2, 6));

        OutputAgreement.Assert(Forward(model, ids), OnnxRuntimeRunner.Run(file, ids, [2, 6]), output, "embedding → MLP head");
    }

    [Fact]
    public void Stages_may_apply_a_module_twice_and_add_activations_of_their_own()
    {
        var random = new RandomSource(7);
        var linear = new Linear<float>(4, 4, random);
        var input = random.Uniform<float>([3, 4], -1, 1);

        byte[] file = OnnxExport.ToBytes([linear, new Tanh<float>(), linear], OnnxInput.Values(3, 4));

        Tensor<float> expected;
        using (GradMode.Disable())
        {
            expected = linear.Forward(linear.Forward(input).Tanh());
        }
        OutputAgreement.Assert(expected, OnnxRuntimeRunner.Run(file, input), output, "a linear layer applied twice");
        var model = global::Onnx.ModelProto.Parser.ParseFrom(file);
        Assert.Equal(["bias", "weight"], model.Graph.Initializer.Select(initializer => initializer.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_cnn_examples_stages_are_its_forward_pass()
    {
        var random = new RandomSource(8);
        var model = new ConvNet<float>(random, imageSize: 8, channels1: 3, channels2: 4, hidden: 6, classes: 5);
        TrainedState.Randomize(model, random);
        model.Eval();
        var images = random.Uniform<float>([3, 1, 8, 8], 0, 1);

        byte[] file = OnnxExport.ToBytes(model.Stages, OnnxInput.Values(1, 1, 8, 8));

        OutputAgreement.Assert(Forward(model, images), OnnxRuntimeRunner.Run(file, images), output, "the cnn example's ConvNet (tiny)");
        Assert.Equal(Forward(model, images).ToArray(), Forward(model, images.Reshape(3, 64)).ToArray());
    }

    /// <summary>Convolutions, batch normalization, the three poolings, activations, flattening and a linear head: [N, 1, 14, 14] → [N, 10].</summary>
    internal static Sequential<float> Cnn(RandomSource random) => new(
        new Conv2d<float>(1, 4, 3, random, padding: 1), new BatchNorm2d<float>(4), new Relu<float>(), new MaxPool2d<float>(2),
        new Conv2d<float>(4, 8, 3, random, padding: "valid"), new Tanh<float>(), new AvgPool2d<float>(2, stride: 1, padding: 1, countIncludePad: false),
        new AdaptiveAvgPool2d<float>(3), new Flatten<float>(), new Dropout<float>(0.3, random), new Linear<float>(8 * 3 * 3, 10, random), new Softmax<float>());

    /// <summary>
    /// Gives <paramref name="model"/> trained-looking state, exports it at <paramref name="sampleShape"/>, runs the file on
    /// inputs in [0, 1) of <paramref name="runShape"/> and compares with the library's forward pass.
    /// </summary>
    private void AssertTrainedModelAgrees(Sequential<float> model, RandomSource random, int[] sampleShape, int[] runShape, string what)
    {
        TrainedState.Randomize(model, random);
        model.Eval();
        var input = random.Uniform<float>(runShape, 0, 1);

        byte[] file = OnnxExport.ToBytes(model, OnnxInput.Values(sampleShape));

        OutputAgreement.Assert(Forward(model, input), OnnxRuntimeRunner.Run(file, input), output, what);
    }

    private static Tensor<T> Forward<T>(Layer<T> model, Tensor<T> input)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using (GradMode.Disable())
        {
            return model.Forward(input);
        }
    }

    private static Tensor<float> Forward(TokenClassifier model, int[] ids)
    {
        using (GradMode.Disable())
        {
            return model.Forward(ids, 2, 6);
        }
    }
}
