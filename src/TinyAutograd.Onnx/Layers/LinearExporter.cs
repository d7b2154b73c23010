using System.Numerics;
using TinyAutograd.Nn;
using TinyAutograd.Onnx.Graph;

namespace TinyAutograd.Onnx.Layers;

/// <summary>
/// <see cref="Linear{T}"/> as ONNX: y = x·Wᵀ + b is Gemm(x, W, b, transB = 1) on a 2-d input, and
/// MatMul(x, Transpose(W)) + b on an input of any other rank. W keeps its [out, in] layout under its dotted name.
/// </summary>
internal static class LinearExporter
{
    public static string Emit<T>(OnnxGraphBuilder graph, Linear<T> linear, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string weight = graph.State(linear, "weight");
        string? bias = linear.HasBias ? graph.State(linear, "bias") : null;
        if (input.Shape.Length == 2)
        {
            return graph.Node("Gemm", linear.Path, bias is null ? [input.Name, weight] : [input.Name, weight, bias], OnnxAttribute.Int("transB", 1));
        }
        string transposed = graph.Node("Transpose", linear.Path, [weight], OnnxAttribute.Ints("perm", 1, 0));
        string product = graph.Node("MatMul", linear.Path, [input.Name, transposed]);
        return bias is null ? product : graph.Node("Add", linear.Path, [product, bias]);
    }
}
