using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Differentiation;

/// <summary>
/// 2-d max pooling as a recorded op: [N, C, H, W] → [N, C, OH, OW], each output the maximum of its window (see
/// <see cref="MaxPoolKernels"/> for the windows, the padding and the tie rule).
/// </summary>
/// <remarks>
/// Once the arg-max tap of every window is known, y = gather(x) reads x at those taps: a linear map, and the derivative
/// of max pooling wherever no window ties. So the node keeps the taps and is that gather: its VJP is the scatter of g
/// to the taps (<see cref="MaxPoolScatterNode{T}"/>, PyTorch's rule of all gradient to one arg-max), its JVP is the
/// gather of ẋ, and both are linear ops recorded like any other, so second derivatives go through.
/// </remarks>
internal sealed class MaxPoolGatherNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _geometry;
    private readonly Tensor<T> _taps;

    private MaxPoolGatherNode(Tensor<T> x, ConvGeometry geometry, Tensor<T> taps)
        : base("MaxPool2d", x) => (_geometry, _taps) = (geometry, taps);

    /// <summary>Max pooling of <paramref name="x"/> over the windows of <paramref name="geometry"/>, each of which must reach inside the image.</summary>
    public static Tensor<T> MaxPool(Tensor<T> x, ConvGeometry geometry, OpCall call = default)
    {
        Im2colNode<T>.RequireImage(x, geometry, "MaxPool2d");
        var shape = OutputShape(geometry);
        var result = Tensor<T>.Uninitialized(shape);
        bool tracked = Tape.Tracks(x);
        var taps = tracked ? Tensor<T>.Uninitialized(shape) : null;
        MaxPoolKernels.Forward<T>(geometry, x, result.Storage, taps is null ? [] : taps.Storage);
        return Tape.Record(call, result, tracked ? new MaxPoolGatherNode<T>(x, geometry, taps!) : null);
    }

    /// <summary><paramref name="x"/> read at the given arg-max taps: the derivative of max pooling applied to a tangent or a gradient's gradient.</summary>
    public static Tensor<T> Gather(Tensor<T> x, ConvGeometry geometry, Tensor<T> taps, OpCall call = default)
    {
        Im2colNode<T>.RequireImage(x, geometry, "MaxPool2d");
        var result = Tensor<T>.Uninitialized(taps.Shape);
        MaxPoolKernels.Gather<T>(geometry, taps.Data, x.Data, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(x) ? new MaxPoolGatherNode<T>(x, geometry, taps) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => MaxPoolScatterNode<T>.Apply(outputGradient, _geometry, _taps);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => Gather(inputTangent, _geometry, _taps);

    /// <summary>[N, C, OH, OW].</summary>
    internal static Shape OutputShape(in ConvGeometry g) => new(g.Batch, g.Channels, g.OutHeight, g.OutWidth);
}

/// <summary>
/// The backward of max pooling as a recorded linear op: [N, C, OH, OW] → [N, C, H, W], each window's value added at its
/// arg-max tap (zero elsewhere). The adjoint of <see cref="MaxPoolGatherNode{T}"/>, which is its VJP; its JVP is itself
/// applied to the tangent.
/// </summary>
internal sealed class MaxPoolScatterNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _geometry;
    private readonly Tensor<T> _taps;

    private MaxPoolScatterNode(Tensor<T> values, ConvGeometry geometry, Tensor<T> taps)
        : base("MaxPool2dBackward", values) => (_geometry, _taps) = (geometry, taps);

    public static Tensor<T> Apply(Tensor<T> values, ConvGeometry geometry, Tensor<T> taps, OpCall call = default)
    {
        Im2colNode<T>.RequireShape(values, taps.Shape, "MaxPool2dBackward");
        var result = Tensor<T>.Uninitialized(geometry.ImageShape);
        MaxPoolKernels.Scatter<T>(geometry, taps.Data, values.Data, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(values) ? new MaxPoolScatterNode<T>(values, geometry, taps) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => MaxPoolGatherNode<T>.Gather(outputGradient, _geometry, _taps);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => Apply(inputTangent, _geometry, _taps);
}
