using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>The module tree: registration, dotted names, modes, freezing, counts, the printed tree and shape errors.</summary>
public sealed class ModuleTests
{
    /// <summary>A two-level model: an encoder (Sequential of Linear, Tanh, LayerNorm) and a BatchNorm head.</summary>
    private sealed class Net : Layer<double>
    {
        public Net(RandomSource random)
        {
            Encoder = RegisterModule("encoder", new Sequential<double>(new Linear<double>(4, 3, random), new Tanh<double>(), new LayerNorm<double>(3)));
            Norm = RegisterModule("norm", new BatchNorm1d<double>(3));
            Scale = RegisterParameter("scale", Tensor.Ones<double>(1));
        }

        public Sequential<double> Encoder { get; }

        public BatchNorm1d<double> Norm { get; }

        public Tensor<double> Scale { get; }

        public override Tensor<double> Forward(Tensor<double> input) => Norm.Forward(Encoder.Forward(input)) * Parameter("scale");
    }

    /// <summary>A module that registers on demand, to try every pair of kinds.</summary>
    private sealed class Registrar : Module<double>
    {
        public void Register(string kind, string name)
        {
            switch (kind)
            {
                case "child":
                    RegisterModule(name, new Relu<double>());
                    break;
                case "parameter":
                    RegisterParameter(name, Tensor.Zeros<double>(2));
                    break;
                default:
                    RegisterBuffer(name, Tensor.Zeros<double>(2));
                    break;
            }
        }
    }

    [Fact]
    public void NamesAreDottedAndOrderedLikePyTorch()
    {
        var net = new Net(new RandomSource(1));
        Assert.Equal(["scale", "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias", "norm.weight", "norm.bias"],
            net.NamedParameters().Select(pair => pair.Key));
        Assert.Equal(["norm.running_mean", "norm.running_var", "norm.num_batches_tracked"], net.NamedBuffers().Select(pair => pair.Key));
        Assert.Equal(net.NamedParameters().Select(pair => pair.Value), net.Parameters());
        Assert.Equal(net.NamedParameters().Select(pair => pair.Key), net.Parameters().Names);
        Assert.Equal(["scale", "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias", "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked"],
            net.StateDict().Keys);
        Assert.Equal(["", "encoder", "encoder.0", "encoder.1", "encoder.2", "norm"], net.NamedModules().Select(pair => pair.Key));
        Assert.Equal("encoder.2", net.Encoder[2].Path);
        Assert.Equal(1 + 4 * 3 + 3 + 3 + 3 + 3 + 3, net.ParameterCount);
    }

    [Theory]
    [InlineData("child", "child", "a child module")]
    [InlineData("parameter", "parameter", "a parameter")]
    [InlineData("buffer", "buffer", "a buffer")]
    [InlineData("child", "parameter", "a child module")]
    [InlineData("parameter", "buffer", "a parameter")]
    [InlineData("buffer", "child", "a buffer")]
    public void RegisteringOneNameTwiceFailsAtRegistration(string first, string second, string kind)
    {
        var module = new Registrar();
        module.Register(first, "x");
        var error = Assert.Throws<ArgumentException>(() => module.Register(second, "x"));
        Assert.Contains($"'x' is already registered as {kind} of this module", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => module.Register(second, "a.b"));
        Assert.Single(module.StateDict().Concat(module.NamedChildren().Select(pair => new KeyValuePair<string, Tensor<double>>(pair.Key, null!))));
    }

    [Fact]
    public void TrainEvalFreezeAndZeroGradCoverTheWholeTree()
    {
        var net = new Net(new RandomSource(2));
        Assert.All(net.NamedModules(), pair => Assert.True(pair.Value.IsTraining));
        net.Eval();
        Assert.All(net.NamedModules(), pair => Assert.False(pair.Value.IsTraining));
        net.Train();
        Assert.All(net.NamedModules(), pair => Assert.True(pair.Value.IsTraining));

        net.Forward(Tensor.Uniform<double>([5, 4], -1, 1, seed: 1)).Sum().Backward();
        Assert.All(net.Parameters(), p => Assert.NotNull(p.Grad));
        net.ZeroGrad();
        Assert.All(net.Parameters(), p => Assert.Null(p.Grad));

        net.Encoder.Freeze();
        Assert.Equal(1 + 3 + 3, net.TrainableParameterCount);
        net.Forward(Tensor.Uniform<double>([5, 4], -1, 1, seed: 1)).Sum().Backward();
        Assert.Null(net.Encoder[0].Parameters()[0].Grad);
        Assert.NotNull(net.Norm.Parameters()[0].Grad);
        Assert.Equal(["scale", "norm.weight", "norm.bias"], new TinyAutograd.Optim.Adam<double>(net.TrainableParameters()).ParameterNames);
        net.Unfreeze();
        Assert.Equal(net.ParameterCount, net.TrainableParameterCount);
        Assert.Equal(net.Parameters().Names, net.TrainableParameters().Names);
        Assert.All(net.NamedBuffers(), pair => Assert.False(pair.Value.RequiresGrad));
    }

    [Fact]
    public void ToStringShowsTheTreeWithShapesAndCounts()
    {
        var net = new Net(new RandomSource(3));
        net.Encoder[0].Freeze();
        string expected = string.Join('\n',
            "Net (28 parameters)",
            "  scale [1]",
            "  encoder: Sequential (21 parameters)",
            "    0: Linear 4→3 (15 parameters)",
            "      weight [3, 4] (frozen)",
            "      bias [3] (frozen)",
            "    1: Tanh",
            "    2: LayerNorm [3] (6 parameters)",
            "      weight [3]",
            "      bias [3]",
            "  norm: BatchNorm1d 3 (6 parameters)",
            "    weight [3]",
            "    bias [3]",
            "    running_mean [3] (buffer)",
            "    running_var [3] (buffer)",
            "    num_batches_tracked [] (buffer)");
        Assert.Equal(expected, net.ToString());
    }

    [Fact]
    public void ShapeErrorsNameThePathConfigurationAndShapes()
    {
        var random = new RandomSource(4);
        var model = new Sequential<double>(new Linear<double>(784, 256, random), new Relu<double>());
        var error = Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros<double>(2, 100)));
        Assert.StartsWith("0 (Linear 784→256): input has 100 features, expected 784", error.Message, StringComparison.Ordinal);
        var net = new Net(random);
        error = Assert.Throws<ArgumentException>(() => net.Norm.Forward(Tensor.Zeros<double>(2, 5)));
        Assert.StartsWith("norm (BatchNorm1d 3): input has 5 features, expected 3", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => net.Encoder[2].Forward(Tensor.Zeros<double>(2, 4)));
        Assert.StartsWith("encoder.2 (LayerNorm [3]): input has shape [2, 4], expected trailing axes [*, 3]", error.Message, StringComparison.Ordinal);
        var embedding = new Embedding<double>(10, 4, random);
        error = Assert.Throws<ArgumentException>(() => embedding.Forward([1, 10, 2]));
        Assert.StartsWith("Embedding 10×4: token id 10 at position 1 is out of range; expected 0 to 9", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new Flatten<double>(1, 3).Forward(Tensor.Zeros<double>(2, 3)));
        Assert.Contains("Flatten axes 1..3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithParametersEvaluatesAtOtherTensorsAndRestoresTheModule()
    {
        var layer = new Linear<double>(3, 2, new RandomSource(5));
        var own = layer.Parameters().ToArray();
        var other = own.Select(p => Tensor.Uniform<double>(p.Shape.ToArray(), -1, 1, seed: 9)).ToArray();
        var x = Tensor.Uniform<double>([4, 3], -1, 1, seed: 1);
        var expected = (x.MatMul(other[0], transposeRight: true) + other[1]).ToArray();
        Assert.Equal(expected, layer.WithParameters(other, () => layer.Forward(x)).ToArray());
        Assert.Same(own[0], layer.Weight);
        Assert.Throws<InvalidOperationException>(() => layer.WithParameters<int>(other, () => throw new InvalidOperationException()));
        Assert.Same(own[1], layer.Bias);
        Assert.Throws<ArgumentException>(() => layer.WithParameters(other[..1], () => 0));
    }
}
