using System.Numerics;
using Google.Protobuf;
using Onnx;
using TinyAutograd.Nn;
using TinyAutograd.Onnx.Graph;
using TinyAutograd.Onnx.Layers;

namespace TinyAutograd.Onnx;

/// <summary>
/// Writes a model to an ONNX file (operator set <see cref="Opset"/>), which ONNX Runtime and other inference engines
/// run. The file computes the model's evaluation-mode forward pass in float32.
/// </summary>
/// <remarks>
/// <para>
/// Covered: <see cref="Sequential{T}"/> (nested too), <see cref="Linear{T}"/> (Gemm, or MatMul on inputs that are not
/// 2-d), <see cref="Conv1d{T}"/> and <see cref="Conv2d{T}"/> (Conv), <see cref="MaxPool2d{T}"/> (MaxPool),
/// <see cref="AvgPool2d{T}"/> (AveragePool), <see cref="AdaptiveAvgPool2d{T}"/> (GlobalAveragePool, or two MatMuls
/// with averaging matrices), the activation layers <see cref="Relu{T}"/>, <see cref="Tanh{T}"/>,
/// <see cref="Sigmoid{T}"/>, <see cref="Softplus{T}"/>, <see cref="Softmax{T}"/> and <see cref="LogSoftmax{T}"/>,
/// <see cref="LayerNorm{T}"/> (LayerNormalization), <see cref="BatchNorm1d{T}"/> and <see cref="BatchNorm2d{T}"/> in evaluation mode
/// (BatchNormalization with the running statistics), <see cref="Flatten{T}"/> (Reshape), <see cref="Dropout{T}"/>
/// (Identity) and <see cref="Embedding{T}"/> (Gather on int64 token ids).
/// </para>
/// <para>
/// A module's own <c>Forward</c> code cannot be read as a graph, so any other module (a class of your own, a recurrent
/// layer, attention) stops the export with an <see cref="OnnxExportException"/> naming its dotted path and type. A
/// model of your own whose forward pass applies covered children one after the other is exported by passing those
/// children, in order, as the stages: <c>OnnxExport.ToBytes([model.Embedding, model.Head], input)</c>.
/// </para>
/// <para>
/// Weights are stored as float32 initializers under their state-dict names (<c>0.weight</c>), nodes are named after
/// their module's path and operator (<c>0/Gemm</c>), the input is named by <see cref="OnnxInput.Name"/> and the
/// output <see cref="OutputName"/>. A model of doubles is written in float32. Layers whose training behaviour differs
/// (dropout with p &gt; 0, batch normalization) must be in evaluation mode (<see cref="Module{T}.Eval"/>).
/// </para>
/// </remarks>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the files use: 17, the first with LayerNormalization.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version of the files: 8, the version that goes with operator set 17.</summary>
    public const long IrVersion = 8;

    /// <summary>The name of every exported model's output.</summary>
    public const string OutputName = "output";

    /// <summary>The ONNX file of <paramref name="model"/> (a covered layer, a <see cref="Sequential{T}"/> or an <see cref="Embedding{T}"/>) on <paramref name="input"/>, as bytes.</summary>
    /// <exception cref="OnnxExportException">A module of the model cannot be exported; the message names its path and type.</exception>
    /// <exception cref="ArgumentException">The sample input does not fit the model (the layer's own shape error).</exception>
    public static byte[] ToBytes<T>(Module<T> model, OnnxInput input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return ToBytes([model], input);
    }

    /// <summary>The ONNX file of the <paramref name="stages"/> applied one after the other to <paramref name="input"/>, as bytes.</summary>
    /// <remarks>
    /// y = sₙ(…s₂(s₁(x))), each stage a covered module; names come from each stage's dotted path in its model. The list
    /// declares the graph: it may hold layers that belong to no model (an activation the forward pass applies as a
    /// function) and the same module more than once (its weights are stored once).
    /// </remarks>
    /// <exception cref="OnnxExportException">A module cannot be exported; the message names its path and type.</exception>
    /// <exception cref="ArgumentException">No stage is given, a stage is null, or the sample input does not fit the model.</exception>
    public static byte[] ToBytes<T>(IReadOnlyList<Module<T>> stages, OnnxInput input)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Build(stages, input).ToByteArray();

    /// <summary>Writes the ONNX file of <paramref name="model"/> on <paramref name="input"/> to <paramref name="path"/>.</summary>
    /// <exception cref="OnnxExportException">A module of the model cannot be exported; the message names its path and type.</exception>
    /// <exception cref="ArgumentException">The sample input does not fit the model.</exception>
    public static void Save<T>(Module<T> model, OnnxInput input, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        Save([model], input, path);
    }

    /// <summary>Writes the ONNX file of the <paramref name="stages"/> applied in order to <paramref name="input"/> to <paramref name="path"/>.</summary>
    /// <exception cref="OnnxExportException">A module cannot be exported; the message names its path and type.</exception>
    /// <exception cref="ArgumentException">No stage is given, a stage is null, or the sample input does not fit the model.</exception>
    public static void Save<T>(IReadOnlyList<Module<T>> stages, OnnxInput input, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        // Built completely before the file is opened: a model that cannot be exported leaves no file behind.
        byte[] bytes = ToBytes(stages, input);
        File.WriteAllBytes(path, bytes);
    }

    private static ModelProto Build<T>(IReadOnlyList<Module<T>> stages, OnnxInput input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(input);
        if (stages.Count == 0)
        {
            throw new ArgumentException("ONNX export: no stage given; pass the model, or its covered parts in the order they run.", nameof(stages));
        }
        for (int i = 0; i < stages.Count; i++)
        {
            if (stages[i] is null)
            {
                throw new ArgumentException($"ONNX export: stage {i} is null.", nameof(stages));
            }
        }
        var graph = new OnnxGraphBuilder("TinyAutograd");
        int[] shape = [.. input.Shape];
        string? batch = input.DynamicBatch ? "batch" : null;
        graph.Input(input.Name, input.IsTokenIds ? TensorProto.Types.DataType.Int64 : TensorProto.Types.DataType.Float, shape, batch);
        var value = input.IsTokenIds
            ? new OnnxValue<T>(input.Name, shape, null)
            : OnnxValue<T>.Of(input.Name, Tensor.Zeros<T>(shape));
        var exporter = new ModuleExporter<T>(graph);
        foreach (var stage in stages)
        {
            value = exporter.Export(stage, value);
        }
        if (value.IsTokenIds)
        {
            throw new ArgumentException("ONNX export: the stages compute nothing from the token ids; start with an Embedding.", nameof(stages));
        }
        graph.Output(value.Name, OutputName, value.Shape, freeFirstAxis: input.DynamicBatch);
        return graph.Model();
    }
}
