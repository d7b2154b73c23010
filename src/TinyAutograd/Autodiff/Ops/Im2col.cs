using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Differentiation;

/// <summary>
/// Im2col as a recorded linear op: [N, C, H, W] → [N, C·kh·kw, OH·OW] (see <see cref="Im2colKernels"/>). Its VJP is
/// <see cref="Col2imNode{T}"/> and its JVP is itself applied to the tangent, so both stay differentiable.
/// </summary>
internal sealed class Im2colNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _geometry;

    private Im2colNode(Tensor<T> x, ConvGeometry geometry)
        : base("Im2col", x) => _geometry = geometry;

    public static Tensor<T> Apply(Tensor<T> x, ConvGeometry geometry, OpCall call = default)
    {
        RequireShape(x, geometry.ImageShape, "Im2col");
        var result = Tensor<T>.Uninitialized(geometry.ColumnShape);
        Im2colKernels.Im2col<T>(geometry, x.Data, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(x) ? new Im2colNode<T>(x, geometry) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], _geometry);

    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) => Col2imNode<T>.Apply(outputGradient, _geometry);

    internal static void RequireShape(Tensor<T> x, Shape expected, string operation)
    {
        if (!x.Shape.Equals(expected))
        {
            throw new ArgumentException($"{operation}: input has shape {x.Shape}, expected {expected}.", nameof(x));
        }
    }
}

/// <summary>
/// Col2im as a recorded linear op: [N, C·kh·kw, OH·OW] → [N, C, H, W], adding overlapping windows. The adjoint of
/// <see cref="Im2colNode{T}"/>, which is its VJP; its JVP is itself applied to the tangent.
/// </summary>
internal sealed class Col2imNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _geometry;

    private Col2imNode(Tensor<T> columns, ConvGeometry geometry)
        : base("Col2im", columns) => _geometry = geometry;

    public static Tensor<T> Apply(Tensor<T> columns, ConvGeometry geometry, OpCall call = default)
    {
        Im2colNode<T>.RequireShape(columns, geometry.ColumnShape, "Col2im");
        var result = Tensor<T>.ZerosOf(geometry.ImageShape);
        Im2colKernels.Col2im<T>(geometry, columns.Data, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(columns) ? new Col2imNode<T>(columns, geometry) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], _geometry);

    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) => Im2colNode<T>.Apply(outputGradient, _geometry);
}
