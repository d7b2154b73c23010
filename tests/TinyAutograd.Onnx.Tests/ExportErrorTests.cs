using TinyAutograd.Nn;

namespace TinyAutograd.Onnx.Tests;

/// <summary>What cannot be exported is refused with the module's dotted path, its type and the reason; no file is left behind.</summary>
public sealed class ExportErrorTests
{
    /// <summary>A layer of one's own: its Forward is code the exporter cannot read.</summary>
    private sealed class Doubler : Layer<float>
    {
        public override Tensor<float> Forward(Tensor<float> input) => input * 2f;
    }

    /// <summary>A module holding a recurrent layer.</summary>
    private sealed class Encoder : Module<float>
    {
        public Encoder(RandomSource random) => Recurrent = RegisterModule("recurrent", new Lstm<float>(4, 3, random));

        public Lstm<float> Recurrent { get; }
    }

    [Fact]
    public void A_custom_layer_is_named_by_its_dotted_path_and_type()
    {
        var random = new RandomSource(1);
        var model = new Sequential<float>(new Linear<float>(4, 4, random), new Sequential<float>(new Relu<float>(), new Doubler()));

        var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToBytes(model, OnnxInput.Values(2, 4)));

        Assert.Equal("1.1", error.ModulePath);
        Assert.Equal("Doubler", error.ModuleType);
        Assert.StartsWith("ONNX export: module '1.1' (Doubler) is a layer the exporter does not know", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_of_your_own_points_to_its_stages()
    {
        var model = new TokenClassifier(new RandomSource(2));

        var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToBytes(model, OnnxInput.TokenIds(1, 3)));

        Assert.Equal("", error.ModulePath);
        Assert.Equal("TokenClassifier", error.ModuleType);
        Assert.Contains("module '(root)' (TokenClassifier)", error.Message, StringComparison.Ordinal);
        Assert.Contains("stages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recurrent_layer_is_refused_by_path_and_generic_type()
    {
        var encoder = new Encoder(new RandomSource(3));

        var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToBytes([encoder.Recurrent], OnnxInput.Values(2, 5, 4)));

        Assert.Equal("recurrent", error.ModulePath);
        Assert.Equal("Lstm<float>", error.ModuleType);
        Assert.Contains("recurrent layer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dropout_in_training_mode_is_refused()
    {
        var random = new RandomSource(4);
        var model = new Sequential<float>(new Linear<float>(3, 3, random), new Dropout<float>(0.1, random));

        var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToBytes(model, OnnxInput.Values(2, 3)));

        Assert.Equal("1", error.ModulePath);
        Assert.Equal("Dropout<float>", error.ModuleType);
        Assert.Contains("Eval()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_normalization_in_training_mode_is_refused_before_its_statistics_move()
    {
        var norm = new BatchNorm1d<float>(3);
        var model = new Sequential<float>(norm);

        var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToBytes(model, OnnxInput.Values(4, 3)));

        Assert.Equal("0", error.ModulePath);
        Assert.Contains("training mode", error.Message, StringComparison.Ordinal);
        Assert.Equal(new float[3], norm.RunningMean.ToArray());
        Assert.Equal([1f, 1f, 1f], norm.RunningVariance.ToArray());
    }

    [Fact]
    public void Batch_normalization_without_running_statistics_is_refused()
    {
        var model = new Sequential<float>(new BatchNorm1d<float>(3, trackRunningStatistics: false)).Eval();

        var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToBytes(model, OnnxInput.Values(4, 3)));

        Assert.Contains("running statistics", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_embedding_needs_token_ids_and_a_layer_needs_values()
    {
        var random = new RandomSource(5);
        var embedding = new Embedding<float>(4, 2, random);
        var linear = new Linear<float>(2, 2, random);

        var onValues = Assert.Throws<OnnxExportException>(() => OnnxExport.ToBytes(embedding, OnnxInput.Values(1, 3)));
        var onIds = Assert.Throws<OnnxExportException>(() => OnnxExport.ToBytes(linear, OnnxInput.TokenIds(1, 2)));

        Assert.Contains("OnnxInput.TokenIds", onValues.Message, StringComparison.Ordinal);
        Assert.Contains("only an Embedding can come first", onIds.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sample_shape_the_model_refuses_gets_the_layers_own_error()
    {
        var random = new RandomSource(6);
        var model = new Sequential<float>(new Linear<float>(4, 3, random), new Linear<float>(3, 2, random));

        var error = Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(model, OnnxInput.Values(2, 5)));

        Assert.StartsWith("0 (Linear 4→3): input has 5 features, expected 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_save_leaves_no_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tinyautograd-onnx-{Guid.NewGuid():N}.onnx");
        var model = new Sequential<float>(new Doubler());

        Assert.Throws<OnnxExportException>(() => OnnxExport.Save(model, OnnxInput.Values(1, 2), path));

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Bad_inputs_and_stage_lists_are_refused()
    {
        Assert.Throws<ArgumentException>(() => OnnxInput.Values());
        Assert.Throws<ArgumentException>(() => OnnxInput.TokenIds(2, 0));
        Assert.Throws<ArgumentException>(() => OnnxInput.Values(2) with { Name = OnnxExport.OutputName });
        Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(Array.Empty<Module<float>>(), OnnxInput.Values(2)));
        Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes<float>([null!], OnnxInput.Values(2)));
    }
}
