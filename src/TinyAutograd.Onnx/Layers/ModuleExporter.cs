using System.Numerics;
using TinyAutograd.Nn;
using TinyAutograd.Onnx.Graph;

namespace TinyAutograd.Onnx.Layers;

/// <summary>
/// Walks a model and writes each covered module as ONNX nodes: a <see cref="Sequential{T}"/> child by child, a layer
/// by its exporter. Every other module stops the export with an <see cref="OnnxExportException"/> naming its path.
/// </summary>
/// <remarks>
/// Each layer is also run once on the sample that reaches it (without recording), so that its own shape checks apply
/// and the next layer's exporter knows its input's shape.
/// </remarks>
internal sealed class ModuleExporter<T>(OnnxGraphBuilder graph)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Writes <paramref name="module"/> applied to <paramref name="input"/>; returns its output.</summary>
    public OnnxValue<T> Export(Module<T> module, OnnxValue<T> input)
    {
        switch (module)
        {
            case Sequential<T> sequential:
                foreach (var (_, child) in sequential.NamedChildren())
                {
                    input = Export(child, input);
                }
                return input;
            case Embedding<T> embedding:
                return EmbeddingExporter.Export(graph, embedding, input);
            case Layer<T> layer when Emitter(layer) is { } emit:
                return ExportLayer(layer, emit, input);
            default:
                throw OnnxExportException.For(module, Unsupported(module));
        }
    }

    /// <summary>The function that writes <paramref name="layer"/>'s nodes for an input and returns the output's name; null for a layer not covered.</summary>
    private Func<OnnxValue<T>, string>? Emitter(Layer<T> layer) => layer switch
    {
        Linear<T> linear => input => LinearExporter.Emit(graph, linear, input),
        Conv1d<T> convolution => input => ConvolutionExporter.Emit(graph, convolution, input),
        Conv2d<T> convolution => input => ConvolutionExporter.Emit(graph, convolution, input),
        MaxPool2d<T> pool => input => PoolingExporter.Emit(graph, pool, input),
        AvgPool2d<T> pool => input => PoolingExporter.Emit(graph, pool, input),
        AdaptiveAvgPool2d<T> pool => input => PoolingExporter.Emit(graph, pool, input),
        LayerNorm<T> norm => input => NormalizationExporter.Emit(graph, norm, input),
        BatchNorm<T> norm => input => NormalizationExporter.Emit(graph, norm, input),
        Flatten<T> flatten => input => ShapeExporter.Emit(graph, flatten, input),
        Dropout<T> dropout => input => ShapeExporter.Emit(graph, dropout, input),
        _ => ActivationExporter.Emitter(graph, layer),
    };

    private static OnnxValue<T> ExportLayer(Layer<T> layer, Func<OnnxValue<T>, string> emit, OnnxValue<T> input)
    {
        if (input.IsTokenIds)
        {
            throw OnnxExportException.For(layer, "receives the int64 token ids of the input, but takes float values; only an Embedding can come first on token ids (or export with OnnxInput.Values).");
        }
        EvaluationMode.Require(layer);
        Tensor<T> sample;
        using (GradMode.Disable())
        {
            sample = layer.Forward(input.Sample!);
        }
        return OnnxValue<T>.Of(emit(input), sample);
    }

    private static string Unsupported(Module<T> module) => module switch
    {
        RecurrentLayer<T> => "is a recurrent layer, which the exporter does not cover (ONNX's LSTM, GRU and RNN operators are not written).",
        Layer<T> => "is a layer the exporter does not know: it runs its own Forward code, which cannot be read as a graph. "
            + "Export a Sequential of covered layers (see OnnxExport), or pass the covered parts of the model as stages.",
        _ => "is a module with a Forward of its own, which cannot be read as a graph. Build the exported part as a Sequential of covered layers, "
            + "or pass its covered children in order as the stages of OnnxExport.ToBytes(stages, input).",
    };
}
