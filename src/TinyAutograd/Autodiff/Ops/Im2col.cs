using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Differentiation;

/// <summary>
/// Im2col as a recorded linear op: [N, C, H, W] → [N, C·kh·kw, OH·OW], or [C·kh·kw, N, OH·OW] in the batched
/// <see cref="ColumnLayout"/> (see <see cref="Im2colKernels"/>). Its VJP is <see cref="Col2imNode{T}"/> in the same
/// layout and its JVP is itself applied to the tangent, so both stay differentiable.
/// </summary>
internal sealed class Im2colNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _geometry;
    private readonly ColumnLayout _layout;

    private Im2colNode(Tensor<T> x, ConvGeometry geometry, ColumnLayout layout)
        : base("Im2col", x) => (_geometry, _layout) = (geometry, layout);

    public static Tensor<T> Apply(Tensor<T> x, ConvGeometry geometry, ColumnLayout layout = ColumnLayout.PerImage, OpCall call = default)
    {
        RequireImage(x, geometry, "Im2col");
        var result = Tensor<T>.Uninitialized(geometry.ColumnShapeOf(layout));
        Im2colKernels.Im2col<T>(geometry, x.Data, result.Storage, layout);
        return Tape.Record(call, result, Tape.Tracks(x) ? new Im2colNode<T>(x, geometry, layout) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], _geometry, _layout);

    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) => Col2imNode<T>.Apply(outputGradient, _geometry, _layout);

    internal static void RequireShape(Tensor<T> x, Shape expected, string operation)
    {
        if (!x.Shape.Equals(expected))
        {
            throw new ArgumentException($"{operation}: input has shape {x.Shape}, expected {expected}.", nameof(x));
        }
    }

    /// <summary><see cref="RequireShape"/> with the image shape of <paramref name="geometry"/>, made only for the message.</summary>
    internal static void RequireImage(Tensor<T> x, in ConvGeometry geometry, string operation)
    {
        if (!geometry.IsImageShape(x.Shape))
        {
            RequireShape(x, geometry.ImageShape, operation);
        }
    }
}

/// <summary>
/// Col2im as a recorded linear op: [N, C·kh·kw, OH·OW] (or [C·kh·kw, N, OH·OW] in the batched
/// <see cref="ColumnLayout"/>) → [N, C, H, W], adding overlapping windows. The adjoint of <see cref="Im2colNode{T}"/> in
/// the same layout, which is its VJP; its JVP is itself applied to the tangent.
/// </summary>
internal sealed class Col2imNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _geometry;
    private readonly ColumnLayout _layout;

    private Col2imNode(Tensor<T> columns, ConvGeometry geometry, ColumnLayout layout)
        : base("Col2im", columns) => (_geometry, _layout) = (geometry, layout);

    public static Tensor<T> Apply(Tensor<T> columns, ConvGeometry geometry, ColumnLayout layout = ColumnLayout.PerImage, OpCall call = default)
    {
        Im2colNode<T>.RequireShape(columns, geometry.ColumnShapeOf(layout), "Col2im");
        var result = Tensor<T>.ZerosOf(geometry.ImageShape);
        Im2colKernels.Col2im<T>(geometry, columns.Data, result.Storage, layout);
        return Tape.Record(call, result, Tape.Tracks(columns) ? new Col2imNode<T>(columns, geometry, layout) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], _geometry, _layout);

    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) => Im2colNode<T>.Apply(outputGradient, _geometry, _layout);
}
