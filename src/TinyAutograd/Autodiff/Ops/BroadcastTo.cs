using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Repeats this tensor along broadcast axes to reach <paramref name="shape"/> (NumPy rule; a copy).</summary>
    /// <remarks>∂L/∂x = ∂L/∂y summed over the broadcast axes (<see cref="SumTo"/>).</remarks>
    /// <exception cref="ArgumentException">This shape cannot be broadcast to <paramref name="shape"/>.</exception>
    public Tensor<T> BroadcastTo(Shape shape, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => BroadcastToNode<T>.Apply(this, shape, OpCall.At("BroadcastTo", file, line));

    /// <summary>
    /// Sums this tensor down to <paramref name="shape"/>, the inverse of broadcasting: leading extra axes are summed
    /// away and axes where <paramref name="shape"/> has size 1 are summed with the size kept.
    /// </summary>
    /// <remarks>∂L/∂x = ∂L/∂y broadcast back to this tensor's shape.</remarks>
    /// <exception cref="ArgumentException"><paramref name="shape"/> does not broadcast to this tensor's shape.</exception>
    public Tensor<T> SumTo(Shape shape, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        if (shape == Shape)
        {
            return this;
        }
        using var composite = OpCall.Enter(OpCall.At("SumTo", file, line));
        if (!shape.CanBroadcastTo(Shape))
        {
            throw new ArgumentException($"SumTo: {Describe()} cannot be summed down to {shape}: {shape} does not broadcast to {Shape}.", nameof(shape));
        }
        if (shape.Length == 1)
        {
            var total = Sum();
            return shape.Rank == 0 ? total : total.Reshape(shape);
        }
        int lead = Rank - shape.Rank;
        Span<int> axes = stackalloc int[Rank];
        int count = 0;
        bool keptAxes = false;
        for (int axis = 0; axis < Rank; axis++)
        {
            if (axis < lead || (shape.Dimensions[axis - lead] == 1 && Shape.Dimensions[axis] != 1))
            {
                axes[count++] = axis;
                keptAxes |= axis >= lead;
            }
        }
        if (count == 0)
        {
            return Reshape(shape);
        }
        // Summing only leading axes away leaves exactly the target shape; otherwise the summed axes stay as size 1.
        var sum = SumNode<T>.Apply(this, AxisReduction.Of(Shape, axes[..count], keepDims: keptAxes, "SumTo"), OpCall.At("Sum", file, line));
        return sum.Reshape(shape);
    }
}

internal sealed class BroadcastToNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private BroadcastToNode(Tensor<T> x)
        : base("BroadcastTo", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, Shape shape, OpCall call = default)
    {
        if (!x.Shape.CanBroadcastTo(shape))
        {
            throw new ArgumentException(
                $"BroadcastTo: {x.Describe()} cannot be broadcast to {shape}: aligned from the right, each size must equal the target's or be 1.", nameof(shape));
        }
        if (shape == x.Shape)
        {
            return x;
        }
        var result = Tensor<T>.Uninitialized(shape);
        BroadcastKernel.BroadcastCopy<T>(x.Data, x.Shape.Dimensions, result.Storage, shape.Dimensions);
        return Tape.Record(call, result, Tape.Tracks(x) ? new BroadcastToNode<T>(x) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], Output.Shape);

    /// <summary>Summed over the broadcast axes.</summary>
    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) => outputGradient.SumTo(Input(0).Shape);
}
