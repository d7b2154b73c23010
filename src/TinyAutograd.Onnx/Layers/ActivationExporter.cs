using System.Numerics;
using TinyAutograd.Nn;
using TinyAutograd.Onnx.Graph;

namespace TinyAutograd.Onnx.Layers;

/// <summary>
/// The activation layers as the ONNX operators of the same names: Relu, Tanh, Sigmoid, Softplus (β = 1), and
/// Softmax and LogSoftmax along the layer's axis (operator set 13 and later normalize along that one axis, as the
/// library does).
/// </summary>
internal static class ActivationExporter
{
    /// <summary>The function writing <paramref name="layer"/>'s node; null when it is no activation layer.</summary>
    public static Func<OnnxValue<T>, string>? Emitter<T>(OnnxGraphBuilder graph, Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Func<OnnxValue<T>, string> Elementwise(string opType) => input => graph.Node(opType, layer.Path, [input.Name]);
        Func<OnnxValue<T>, string> AlongAxis(string opType, int axis) => input => graph.Node(opType, layer.Path, [input.Name], OnnxAttribute.Int("axis", axis));
        return layer switch
        {
            Relu<T> => Elementwise("Relu"),
            Tanh<T> => Elementwise("Tanh"),
            Sigmoid<T> => Elementwise("Sigmoid"),
            Softplus<T> => Elementwise("Softplus"),
            Softmax<T> softmax => AlongAxis("Softmax", softmax.Axis),
            LogSoftmax<T> logSoftmax => AlongAxis("LogSoftmax", logSoftmax.Axis),
            _ => null,
        };
    }
}
