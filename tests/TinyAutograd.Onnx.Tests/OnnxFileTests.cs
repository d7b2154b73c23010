using Onnx;
using TinyAutograd.Nn;

namespace TinyAutograd.Onnx.Tests;

/// <summary>What the file says about itself: operator set, IR version, names of the weights, the nodes and the input.</summary>
public sealed class OnnxFileTests
{
    [Fact]
    public void The_file_states_its_operator_set_and_names_weights_as_the_state_dict()
    {
        var random = new RandomSource(1);
        var model = new Sequential<float>(new Linear<float>(4, 3, random), new Relu<float>(), new BatchNorm1d<float>(3), new Linear<float>(3, 2, random, bias: false)).Eval();

        var file = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(model, OnnxInput.Values(2, 4) with { Name = "features" }));

        Assert.Equal(OnnxExport.IrVersion, file.IrVersion);
        var opset = Assert.Single(file.OpsetImport);
        Assert.Equal(("", 17L), (opset.Domain, opset.Version));
        Assert.Equal(
            model.StateDict().Keys.Where(name => !name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            file.Graph.Initializer.Select(initializer => initializer.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["0/Gemm", "1/Relu", "2/BatchNormalization", "3/Gemm", "output"], file.Graph.Node.Select(node => node.Name));
        var input = Assert.Single(file.Graph.Input);
        Assert.Equal("features", input.Name);
        Assert.Equal(["batch", ""], input.Type.TensorType.Shape.Dim.Select(dim => dim.DimParam));
        Assert.Equal(4, input.Type.TensorType.Shape.Dim[1].DimValue);
        Assert.Equal(OnnxExport.OutputName, Assert.Single(file.Graph.Output).Name);
    }

    [Fact]
    public void A_fixed_batch_is_written_as_a_size()
    {
        var model = new Sequential<float>(new Tanh<float>());

        var file = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(model, OnnxInput.Values(3, 2) with { DynamicBatch = false }));

        Assert.Equal([3L, 2L], file.Graph.Input[0].Type.TensorType.Shape.Dim.Select(dim => dim.DimValue));
    }

    [Fact]
    public void Save_writes_the_same_bytes_as_ToBytes()
    {
        var model = new Linear<float>(3, 2, new RandomSource(2));
        string path = Path.Combine(Path.GetTempPath(), $"tinyautograd-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExport.Save(model, OnnxInput.Values(1, 3), path);

            Assert.Equal(OnnxExport.ToBytes(model, OnnxInput.Values(1, 3)), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
