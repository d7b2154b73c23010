using System.Numerics;
using TinyAutograd.Nn;
using TinyAutograd.Onnx.Graph;

namespace TinyAutograd.Onnx.Layers;

/// <summary>
/// The layers that move no value: Flatten as Reshape (0 keeps an axis before the merged ones, whatever the batch
/// size; −1 is the merged axis), and Dropout, the identity in evaluation mode, as Identity.
/// </summary>
internal static class ShapeExporter
{
    public static string Emit<T>(OnnxGraphBuilder graph, Flatten<T> flatten, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = input.Shape.Length;
        int start = flatten.StartAxis < 0 ? flatten.StartAxis + rank : flatten.StartAxis;
        int end = flatten.EndAxis < 0 ? flatten.EndAxis + rank : flatten.EndAxis;
        long[] target = [.. Enumerable.Repeat(0L, start), -1, .. input.Shape[(end + 1)..].Select(size => (long)size)];
        string shape = graph.Int64s(flatten.Path.Length == 0 ? "shape" : $"{flatten.Path}.shape", target);
        return graph.Node("Reshape", flatten.Path, [input.Name, shape]);
    }

    public static string Emit<T>(OnnxGraphBuilder graph, Dropout<T> dropout, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        graph.Node("Identity", dropout.Path, [input.Name]);
}
