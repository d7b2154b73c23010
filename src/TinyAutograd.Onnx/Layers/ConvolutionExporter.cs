using System.Numerics;
using TinyAutograd.Nn;
using TinyAutograd.Onnx.Graph;

namespace TinyAutograd.Onnx.Layers;

/// <summary>
/// Convolutions as ONNX Conv: the weight [out, in/groups, kernel…] and bias keep their layouts; strides, dilations,
/// groups and the zero padding become attributes (pads lists every axis's start, then every axis's end).
/// </summary>
internal static class ConvolutionExporter
{
    public static string Emit<T>(OnnxGraphBuilder graph, Conv2d<T> convolution, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (top, bottom) = PaddingAlong(convolution.Padding.IsSame, convolution.Padding.Height, convolution.KernelSize.Height, convolution.Dilation.Height);
        var (left, right) = PaddingAlong(convolution.Padding.IsSame, convolution.Padding.Width, convolution.KernelSize.Width, convolution.Dilation.Width);
        return Conv(graph, convolution, input,
            kernel: [convolution.KernelSize.Height, convolution.KernelSize.Width],
            strides: [convolution.Stride.Height, convolution.Stride.Width],
            dilations: [convolution.Dilation.Height, convolution.Dilation.Width],
            pads: [top, left, bottom, right]);
    }

    public static string Emit<T>(OnnxGraphBuilder graph, Conv1d<T> convolution, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (before, after) = PaddingAlong(convolution.Padding.IsSame, convolution.Padding.Size, convolution.KernelSize, convolution.Dilation);
        return Conv(graph, convolution, input,
            kernel: [convolution.KernelSize], strides: [convolution.Stride], dilations: [convolution.Dilation], pads: [before, after]);
    }

    /// <summary>
    /// The zero padding (before, after) along one axis: the explicit size on both sides, or for "same" a total of
    /// dilation·(kernel − 1) with the odd one after, as PyTorch places it.
    /// </summary>
    private static (long Before, long After) PaddingAlong(bool same, int padding, int kernel, int dilation)
    {
        if (!same)
        {
            return (padding, padding);
        }
        int total = dilation * (kernel - 1);
        return (total / 2, total - total / 2);
    }

    private static string Conv<T>(OnnxGraphBuilder graph, Convolution<T> layer, OnnxValue<T> input, long[] kernel, long[] strides, long[] dilations, long[] pads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string weight = graph.State(layer, "weight");
        string[] inputs = layer.HasBias ? [input.Name, weight, graph.State(layer, "bias")] : [input.Name, weight];
        return graph.Node("Conv", layer.Path, inputs,
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", strides),
            OnnxAttribute.Ints("dilations", dilations),
            OnnxAttribute.Ints("pads", pads),
            OnnxAttribute.Int("group", layer.Groups));
    }
}
