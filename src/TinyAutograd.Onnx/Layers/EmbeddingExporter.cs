using System.Numerics;
using TinyAutograd.Nn;
using TinyAutograd.Onnx.Graph;

namespace TinyAutograd.Onnx.Layers;

/// <summary>
/// <see cref="Embedding{T}"/> as ONNX Gather(W, ids) along axis 0: y[i…] = W[ids[i…]], shape ids + [dimension]. It
/// takes the model's int64 token-id input, so an embedding is the first stage of an export.
/// </summary>
internal static class EmbeddingExporter
{
    public static OnnxValue<T> Export<T>(OnnxGraphBuilder graph, Embedding<T> embedding, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!input.IsTokenIds)
        {
            throw OnnxExportException.For(embedding, "takes token ids, but receives float values; an Embedding must be the first stage, exported with OnnxInput.TokenIds.");
        }
        Tensor<T> sample;
        using (GradMode.Disable())
        {
            sample = embedding.Forward(new int[input.Shape.Aggregate(1, (product, size) => product * size)], input.Shape);
        }
        string output = graph.Node("Gather", embedding.Path, [graph.State(embedding, "weight"), input.Name], OnnxAttribute.Int("axis", 0));
        return OnnxValue<T>.Of(output, sample);
    }
}
