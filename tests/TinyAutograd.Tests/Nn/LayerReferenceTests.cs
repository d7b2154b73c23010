using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>Each layer's forward pass against a naive reference written with plain loops, in double and float.</summary>
public sealed class LayerReferenceTests
{
    private const double Tight = 1e-12;

    [Theory]
    [InlineData(new[] { 5 }, 5, 3)]
    [InlineData(new[] { 4, 5 }, 5, 3)]
    [InlineData(new[] { 2, 3, 5 }, 5, 1)]
    public void LinearIsXTimesWTransposedPlusB(int[] shape, int inFeatures, int outFeatures)
    {
        var layer = new Linear<double>(inFeatures, outFeatures, new RandomSource(3));
        var x = Tensor.Uniform<double>(shape, -1, 1, seed: 4);
        var w = layer.Weight.ToArray();
        var b = layer.Bias!.ToArray();
        var input = x.ToArray();
        int rows = input.Length / inFeatures;
        var expected = new double[rows * outFeatures];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = b[o];
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += input[r * inFeatures + i] * w[o * inFeatures + i];
                }
                expected[r * outFeatures + o] = sum;
            }
        }
        var y = layer.Forward(x);
        Assert.Equal([.. shape[..^1], outFeatures], y.Shape.ToArray());
        AssertClose(expected, y.ToArray(), Tight);
    }

    [Fact]
    public void LinearDefaultInitializationIsPyTorchs()
    {
        // kaiming_uniform_(a = √5) on [out, in] is U(−1/√in, 1/√in); the bias is U(−1/√in, 1/√in) drawn next.
        const int inFeatures = 50, outFeatures = 40;
        var layer = new Linear<double>(inFeatures, outFeatures, new RandomSource(8));
        var reference = new RandomSource(8);
        double bound = 1 / Math.Sqrt(inFeatures);
        var expectedWeight = Enumerable.Range(0, inFeatures * outFeatures).Select(_ => -bound + 2 * bound * reference.NextDouble()).ToArray();
        var expectedBias = Enumerable.Range(0, outFeatures).Select(_ => -bound + 2 * bound * reference.NextDouble()).ToArray();
        AssertClose(expectedWeight, layer.Weight.ToArray(), 1e-15);
        AssertClose(expectedBias, layer.Bias!.ToArray(), 1e-15);
    }

    public static TheoryData<string> FloatLayers => ["Linear", "LayerNorm", "BatchNorm1d", "Dropout", "Flatten", "Sequential"];

    [Theory]
    [MemberData(nameof(FloatLayers))]
    public void FloatLayersMatchDouble(string kind)
    {
        var x = Tensor.Uniform<double>([4, 6], -1, 1, seed: 5);
        var xf = Tensor.FromArray(x.ToArray().Select(v => (float)v).ToArray(), 4, 6);
        var expected = Create<double>(kind).Forward(x).ToArray();
        var actual = Create<float>(kind).Forward(xf).ToArray().Select(v => (double)v).ToArray();
        AssertClose(expected, actual, 1e-5);
    }

    [Fact]
    public void FloatEmbeddingMatchesDouble()
    {
        int[] ids = [3, 0, 4, 3];
        var expected = new Embedding<double>(5, 3, new RandomSource(6)).Forward(ids).ToArray();
        var actual = new Embedding<float>(5, 3, new RandomSource(6)).Forward(ids).ToArray().Select(v => (double)v).ToArray();
        AssertClose(expected, actual, 1e-6);
    }

    private static Layer<T> Create<T>(string kind)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => kind switch
        {
            "Linear" => new Linear<T>(6, 4, new RandomSource(2)),
            "LayerNorm" => new LayerNorm<T>(6),
            "BatchNorm1d" => new BatchNorm1d<T>(6),
            "Dropout" => new Dropout<T>(0.5, seed: 3),
            "Flatten" => new Flatten<T>(0),
            _ => new Sequential<T>(new Linear<T>(6, 5, new RandomSource(4)), new Sigmoid<T>(), new Linear<T>(5, 2, new RandomSource(5)), new Softmax<T>()),
        };

    [Fact]
    public void EmbeddingLooksUpRows()
    {
        var layer = new Embedding<double>(7, 3, new RandomSource(1));
        int[] ids = [6, 0, 3, 3, 1, 6];
        var y = layer.Forward(ids, 2, 3);
        Assert.Equal([2, 3, 3], y.Shape.ToArray());
        var table = layer.Weight.ToArray();
        var expected = ids.SelectMany(id => table.Skip(id * 3).Take(3)).ToArray();
        Assert.Equal(expected, y.ToArray());
        var grid = layer.Forward(new[,] { { 6, 0, 3 }, { 3, 1, 6 } });
        Assert.Equal(y.ToArray(), grid.ToArray());
    }

    [Fact]
    public void EmbeddingGradientAccumulatesRepeatedIds()
    {
        var layer = new Embedding<double>(4, 2, new RandomSource(1));
        layer.Forward([2, 0, 2, 2]).Sum().Backward();
        Assert.Equal([1, 1, 0, 0, 3, 3, 0, 0], layer.Weight.Grad!.ToArray());
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 5 }, new[] { 5 })]
    public void LayerNormMatchesLoops(int[] shape, int[] normalized)
    {
        var layer = new LayerNorm<double>(normalized, epsilon: 1e-3);
        var gamma = Tensor.Uniform<double>(normalized, 0.5, 1.5, seed: 1);
        var beta = Tensor.Uniform<double>(normalized, -1, 1, seed: 2);
        layer.LoadStateDict(new Dictionary<string, Tensor<double>> { ["weight"] = gamma, ["bias"] = beta });
        var x = Tensor.Uniform<double>(shape, -2, 2, seed: 3);
        int group = normalized.Aggregate(1, (a, b) => a * b);
        var input = x.ToArray();
        var expected = new double[input.Length];
        for (int start = 0; start < input.Length; start += group)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < group; i++)
            {
                mean += input[start + i] / group;
            }
            for (int i = 0; i < group; i++)
            {
                variance += (input[start + i] - mean) * (input[start + i] - mean) / group;
            }
            for (int i = 0; i < group; i++)
            {
                expected[start + i] = (input[start + i] - mean) / Math.Sqrt(variance + 1e-3) * gamma.Data[i] + beta.Data[i];
            }
        }
        AssertClose(expected, layer.Forward(x).ToArray(), Tight);
    }

    [Theory]
    [InlineData(new[] { 6, 3 })]
    [InlineData(new[] { 4, 2, 5 })]
    [InlineData(new[] { 2, 3, 3, 4 })]
    [InlineData(new[] { 1, 2, 3, 1 })]
    public void BatchNormTrainsOnBatchStatisticsAndEvaluatesOnRunningOnes(int[] shape)
    {
        const double momentum = 0.3, epsilon = 1e-4;
        int features = shape[1], length = shape[2..].Aggregate(1, (a, b) => a * b), batch = shape[0], n = batch * length;
        BatchNorm<double> layer = shape.Length == 4 ? new BatchNorm2d<double>(features, epsilon, momentum) : new BatchNorm1d<double>(features, epsilon, momentum);
        var gamma = Tensor.Uniform<double>([features], 0.5, 1.5, seed: 1);
        var beta = Tensor.Uniform<double>([features], -1, 1, seed: 2);
        layer.LoadStateDict(new Dictionary<string, Tensor<double>>
        {
            ["weight"] = gamma, ["bias"] = beta, ["running_mean"] = Tensor.Zeros<double>(features), ["running_var"] = Tensor.Ones<double>(features),
            ["num_batches_tracked"] = Tensor.Scalar(0.0),
        });
        var runningMean = new double[features];
        var runningVariance = Enumerable.Repeat(1.0, features).ToArray();
        for (int step = 0; step < 3; step++)
        {
            var x = Tensor.Uniform<double>(shape, -2, 3, seed: (ulong)(10 + step));
            var input = x.ToArray();
            var expected = new double[input.Length];
            for (int c = 0; c < features; c++)
            {
                var values = Indices(batch, features, length, c).Select(i => input[i]).ToArray();
                double mean = values.Average();
                double variance = values.Sum(v => (v - mean) * (v - mean)) / n;
                foreach (int i in Indices(batch, features, length, c))
                {
                    expected[i] = (input[i] - mean) / Math.Sqrt(variance + epsilon) * gamma.Data[c] + beta.Data[c];
                }
                runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean;
                runningVariance[c] = (1 - momentum) * runningVariance[c] + momentum * variance * n / (n - 1);
            }
            AssertClose(expected, layer.Forward(x).ToArray(), Tight);
        }
        AssertClose(runningMean, layer.RunningMean.ToArray(), Tight);
        AssertClose(runningVariance, layer.RunningVariance.ToArray(), Tight);
        Assert.Equal(3, layer.StateDict()["num_batches_tracked"].ToScalar());

        layer.Eval();
        var test = Tensor.Uniform<double>(shape, -2, 3, seed: 99);
        var testInput = test.ToArray();
        var evaluated = new double[testInput.Length];
        for (int c = 0; c < features; c++)
        {
            foreach (int i in Indices(batch, features, length, c))
            {
                evaluated[i] = (testInput[i] - runningMean[c]) / Math.Sqrt(runningVariance[c] + epsilon) * gamma.Data[c] + beta.Data[c];
            }
        }
        var before = layer.RunningMean.ToArray();
        AssertClose(evaluated, layer.Forward(test).ToArray(), Tight);
        Assert.Equal(before, layer.RunningMean.ToArray());
        Assert.Equal(3, layer.StateDict()["num_batches_tracked"].ToScalar());
    }

    [Fact]
    public void BatchNorm2dIsBatchNorm1dOverTheFlattenedImage()
    {
        // Per-channel statistics over N, H, W are BatchNorm1d's over N and L = H·W.
        var image = new BatchNorm2d<double>(3, momentum: 0.2);
        var sequence = new BatchNorm1d<double>(3, momentum: 0.2);
        var state = new Dictionary<string, Tensor<double>>
        {
            ["weight"] = Tensor.Uniform<double>([3], 0.5, 1.5, seed: 1), ["bias"] = Tensor.Uniform<double>([3], -1, 1, seed: 2),
            ["running_mean"] = Tensor.Uniform<double>([3], -1, 1, seed: 3), ["running_var"] = Tensor.Uniform<double>([3], 0.5, 2, seed: 4),
            ["num_batches_tracked"] = Tensor.Scalar(0.0),
        };
        image.LoadStateDict(state);
        sequence.LoadStateDict(state);
        var x = Tensor.Uniform<double>([2, 3, 4, 5], -2, 2, seed: 5);
        AssertClose(sequence.Forward(x.Reshape(2, 3, 20)).ToArray(), image.Forward(x).ToArray(), Tight);
        AssertClose(sequence.RunningVariance.ToArray(), image.RunningVariance.ToArray(), Tight);
        image.Eval();
        sequence.Eval();
        AssertClose(sequence.Forward(x.Reshape(2, 3, 20)).ToArray(), image.Forward(x).ToArray(), Tight);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], image.StateDict().Keys);
    }

    [Fact]
    public void BatchNorm2dShapeErrorsNameTheLayerAndBothShapes()
    {
        var model = new Sequential<double>(new Conv2d<double>(1, 5, 3, new RandomSource(1)), new BatchNorm2d<double>(3));
        var norm = (BatchNorm2d<double>)model.NamedChildren().Last().Value;
        Assert.StartsWith("1 (BatchNorm2d 3): input has 5 channels, expected 3 (input shape [2, 5, 4, 4])",
            Assert.Throws<ArgumentException>(() => norm.Forward(Tensor.Zeros<double>(2, 5, 4, 4))).Message);
        Assert.StartsWith("1 (BatchNorm2d 3): input has shape [2, 3], expected [N, 3, H, W]",
            Assert.Throws<ArgumentException>(() => norm.Forward(Tensor.Zeros<double>(2, 3))).Message);
        Assert.Contains("training needs more than one value per channel", Assert.Throws<ArgumentException>(() => norm.Forward(Tensor.Zeros<double>(1, 3, 1, 1))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm2d<double>(3, momentum: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm2d<double>(0));
    }

    [Fact]
    public void DropoutDropsWithItsProbabilityScalesTheRestAndIsOffInEvaluation()
    {
        const double p = 0.25;
        var x = Tensor.Uniform<double>([100, 40], 1, 2, seed: 1);
        var layer = new Dropout<double>(p, seed: 7);
        var y = layer.Forward(x).ToArray();
        int dropped = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] == 0)
            {
                dropped++;
            }
            else
            {
                Assert.Equal(x.Data[i] / (1 - p), y[i], 1e-14);
            }
        }
        // Binomial(4000, 0.25): mean 1000, standard deviation ≈ 27.
        Assert.InRange(dropped, 1000 - 5 * 27, 1000 + 5 * 27);
        Assert.Equal(y, new Dropout<double>(p, seed: 7).Forward(x).ToArray());
        Assert.NotEqual(y, layer.Forward(x).ToArray());
        layer.Eval();
        Assert.Same(x, layer.Forward(x));
    }

    [Fact]
    public void FlattenMergesTheGivenAxes()
    {
        var x = Tensor.Arange<double>(0, 120).Reshape(2, 3, 4, 5);
        Assert.Equal([2, 60], new Flatten<double>().Forward(x).Shape.ToArray());
        Assert.Equal([2, 12, 5], new Flatten<double>(1, 2).Forward(x).Shape.ToArray());
        Assert.Equal([120], new Flatten<double>(0).Forward(x).Shape.ToArray());
        Assert.Equal(x.ToArray(), new Flatten<double>().Forward(x).ToArray());
    }

    [Fact]
    public void SequentialComposesItsLayersAndActivationsMatchTheTensorOps()
    {
        var random = new RandomSource(4);
        var first = new Linear<double>(3, 5, random);
        var second = new Linear<double>(5, 2, random);
        var model = new Sequential<double>(first, new Relu<double>(), second, new Sigmoid<double>());
        var x = Tensor.Uniform<double>([4, 3], -1, 1, seed: 2);
        Assert.Equal(second.Forward(first.Forward(x).Relu()).Sigmoid().ToArray(), model.Forward(x).ToArray());
        Assert.Equal(x.Tanh().ToArray(), new Tanh<double>().Forward(x).ToArray());
        Assert.Equal(x.Softplus().ToArray(), new Softplus<double>().Forward(x).ToArray());
        Assert.Equal(x.Softmax(0).ToArray(), new Softmax<double>(0).Forward(x).ToArray());
        Assert.Equal(x.LogSoftmax().ToArray(), new LogSoftmax<double>().Forward(x).ToArray());
    }

    private static IEnumerable<int> Indices(int batch, int features, int length, int feature) =>
        from b in Enumerable.Range(0, batch)
        from l in Enumerable.Range(0, length)
        select (b * features + feature) * length + l;

    internal static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
