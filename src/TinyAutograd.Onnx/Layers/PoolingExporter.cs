using System.Numerics;
using Onnx;
using TinyAutograd.Nn;
using TinyAutograd.Onnx.Graph;

namespace TinyAutograd.Onnx.Layers;

/// <summary>
/// Pooling layers as ONNX: MaxPool2d is MaxPool (padding never wins, as in ONNX), AvgPool2d is AveragePool with
/// count_include_pad as the layer has it, both without ceil mode. AdaptiveAvgPool2d to 1×1 is GlobalAveragePool;
/// to another size it is y = R·x·Cᵀ, two MatMuls with constant averaging matrices whose row i is 1/|window| over
/// PyTorch's adaptive window ⌊i·H/out⌋ … ⌈(i+1)·H/out⌉ − 1 (windows of unequal sizes included).
/// </summary>
internal static class PoolingExporter
{
    public static string Emit<T>(OnnxGraphBuilder graph, MaxPool2d<T> pool, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        graph.Node("MaxPool", pool.Path, [input.Name],
            [.. Window(pool.KernelSize, pool.Stride, pool.Padding.Height, pool.Padding.Width),
             OnnxAttribute.Ints("dilations", pool.Dilation.Height, pool.Dilation.Width)]);

    public static string Emit<T>(OnnxGraphBuilder graph, AvgPool2d<T> pool, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        graph.Node("AveragePool", pool.Path, [input.Name],
            [.. Window(pool.KernelSize, pool.Stride, pool.Padding.Height, pool.Padding.Width),
             OnnxAttribute.Int("count_include_pad", pool.CountIncludePad ? 1 : 0)]);

    /// <summary>A pooling window's attributes: kernel, strides, the same padding before and after, no ceil mode.</summary>
    private static AttributeProto[] Window(Size2d kernel, Size2d stride, int padHeight, int padWidth) =>
    [
        OnnxAttribute.Ints("kernel_shape", kernel.Height, kernel.Width),
        OnnxAttribute.Ints("strides", stride.Height, stride.Width),
        OnnxAttribute.Ints("pads", padHeight, padWidth, padHeight, padWidth),
        OnnxAttribute.Int("ceil_mode", 0),
    ];

    public static string Emit<T>(OnnxGraphBuilder graph, AdaptiveAvgPool2d<T> pool, OnnxValue<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (pool.OutputSize == new Size2d(1, 1))
        {
            return graph.Node("GlobalAveragePool", pool.Path, [input.Name]);
        }
        int height = input.Shape[2], width = input.Shape[3];
        string prefix = pool.Path.Length == 0 ? "" : pool.Path + ".";
        string columns = graph.Floats(prefix + "column_averages", Averaging(pool.OutputSize.Width, width, transposed: true), [width, pool.OutputSize.Width]);
        string rows = graph.Floats(prefix + "row_averages", Averaging(pool.OutputSize.Height, height, transposed: false), [pool.OutputSize.Height, height]);
        string pooledColumns = graph.Node("MatMul", pool.Path, [input.Name, columns]);
        return graph.Node("MatMul", pool.Path, [rows, pooledColumns]);
    }

    /// <summary>The [outputs, size] matrix (or its transpose) whose row i averages PyTorch's adaptive window i.</summary>
    private static float[] Averaging(int outputs, int size, bool transposed)
    {
        var matrix = new float[outputs * size];
        for (int i = 0; i < outputs; i++)
        {
            int start = (int)((long)i * size / outputs);
            int end = (int)(((long)(i + 1) * size + outputs - 1) / outputs);
            for (int j = start; j < end; j++)
            {
                matrix[transposed ? j * outputs + i : i * size + j] = 1f / (end - start);
            }
        }
        return matrix;
    }
}
