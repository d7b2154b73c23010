using System.Numerics;
using TinyAutograd.Nn;
using TinyAutograd.Onnx.Graph;

namespace TinyAutograd.Onnx.Layers;

/// <summary>
/// Normalization layers in evaluation mode. LayerNorm is LayerNormalization over its trailing axes (operator set 17);
/// batch normalization is BatchNormalization with the running mean and variance. Without affine parameters, γ = 1
/// and β = 0 are written as constants.
/// </summary>
internal static class NormalizationExporter
{
    public static string Emit<T>(OnnxGraphBuilder graph, LayerNorm<T> norm, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] shape = [.. norm.NormalizedShape];
        string[] inputs = norm.HasAffine
            ? [input.Name, graph.State(norm, "weight"), graph.State(norm, "bias")]
            : [input.Name, Constant(graph, norm, "scale", 1f, shape)];
        return graph.Node("LayerNormalization", norm.Path, inputs,
            OnnxAttribute.Int("axis", -shape.Length),
            OnnxAttribute.Float("epsilon", norm.Epsilon));
    }

    /// <summary>BatchNorm1d or BatchNorm2d, whose running statistics <see cref="EvaluationMode"/> has required.</summary>
    public static string Emit<T>(OnnxGraphBuilder graph, BatchNorm<T> norm, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string scale = norm.HasAffine ? graph.State(norm, "weight") : Constant(graph, norm, "scale", 1f, [norm.Features]);
        string shift = norm.HasAffine ? graph.State(norm, "bias") : Constant(graph, norm, "shift", 0f, [norm.Features]);
        return graph.Node("BatchNormalization", norm.Path,
            [input.Name, scale, shift, graph.State(norm, "running_mean"), graph.State(norm, "running_var")],
            OnnxAttribute.Float("epsilon", norm.Epsilon));
    }

    /// <summary>A constant initializer filled with <paramref name="value"/>, named after the layer.</summary>
    private static string Constant<T>(OnnxGraphBuilder graph, Layer<T> norm, string name, float value, int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new float[shape.Aggregate(1, (product, size) => product * size)];
        Array.Fill(values, value);
        return graph.Floats(norm.Path.Length == 0 ? name : $"{norm.Path}.{name}", values, [.. shape.Select(size => (long)size)]);
    }
}
