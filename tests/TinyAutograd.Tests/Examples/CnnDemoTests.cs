using TinyAutograd.Examples.Models;
using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Examples;

public sealed class CnnDemoTests
{
    [Fact]
    public void Without_the_data_it_says_how_to_install_it()
    {
        string empty = Directory.CreateTempSubdirectory("tinyautograd-no-fashion-").FullName;

        var (json, _) = ExampleRun.Json("cnn", "--data-dir", empty);

        ExampleRun.HasKeys(json, "test_accuracy", "epochs", "seconds", "history");
        Assert.False(json.GetProperty("available").GetBoolean());
        Assert.Contains("apt-get install dataset-fashion-mnist", json.GetProperty("install").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Trains_reports_every_epoch_and_saves_weights_a_fresh_model_loads()
    {
        string folder = FashionMnistFiles.Write(trainCount: 40, testCount: 20);
        string outputFolder = Directory.CreateTempSubdirectory("tinyautograd-cnn-").FullName;
        string saved = Path.Combine(outputFolder, "cnn.safetensors");
        string onnx = Path.Combine(outputFolder, "cnn.onnx");

        var (json, directory) = ExampleRun.Json("cnn", "--data-dir", folder, "--epochs", "2", "--batch-size", "16", "--train-limit", "32", "--test-limit", "15",
            "--save", saved, "--export-onnx", onnx);

        ExampleRun.HasKeys(json, "test_accuracy", "epochs", "seconds", "history");
        Assert.Equal(2, json.GetProperty("epochs").GetInt32());
        Assert.InRange(json.GetProperty("test_accuracy").GetDouble(), 0, 1);
        var history = json.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal([1, 2], history.Select(epoch => epoch.GetProperty("epoch").GetInt32()));
        Assert.All(history, epoch => Assert.True(epoch.GetProperty("seconds").GetDouble() > 0));
        Assert.Equal(history[^1].GetProperty("test_accuracy").GetDouble(), json.GetProperty("test_accuracy").GetDouble());
        Assert.Equal(history.Sum(epoch => epoch.GetProperty("seconds").GetDouble()), json.GetProperty("seconds").GetDouble(), 1e-9);
        ExampleRun.HasValidPictures(json, directory);

        // The architecture, under PyTorch's names and layouts: 1→32 and 32→64 3×3 convolutions, 3136→128 and 128→10.
        var state = StateDict<float>.LoadSafetensors(saved);
        Assert.Equal([32, 1, 3, 3], state["conv1.weight"].Shape.ToArray());
        Assert.Equal([64, 32, 3, 3], state["conv2.weight"].Shape.ToArray());
        Assert.Equal([128, 3136], state["fc1.weight"].Shape.ToArray());
        Assert.Equal([10, 128], state["fc2.weight"].Shape.ToArray());
        Assert.Equal(8, state.Count);
        var fresh = new ConvNet<float>(new RandomSource(7));
        fresh.LoadStateDict(state);
        Assert.Equal(state["fc2.bias"].ToArray(), fresh.StateDict()["fc2.bias"].ToArray());

        // The ONNX file holds the same weights under the same names (beside the flattening's int64 target shape), and
        // takes [batch, 1, 28, 28] images.
        var file = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        Assert.Equal(json.GetProperty("onnx_file").GetString(), onnx);
        var weights = file.Graph.Initializer.Where(initializer => initializer.DataType == (int)global::Onnx.TensorProto.Types.DataType.Float);
        Assert.Equal(state.Keys.Order(StringComparer.Ordinal), weights.Select(initializer => initializer.Name).Order(StringComparer.Ordinal));
        Assert.Equal(state["fc2.bias"].ToArray(), file.Graph.Initializer.Single(initializer => initializer.Name == "fc2.bias").FloatData);
        Assert.Equal(["batch", "", "", ""], file.Graph.Input.Single().Type.TensorType.Shape.Dim.Select(dim => dim.DimParam));
        Assert.Equal([0L, 1, 28, 28], file.Graph.Input.Single().Type.TensorType.Shape.Dim.Select(dim => dim.DimValue));
    }
}
