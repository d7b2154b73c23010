using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Elementwise selection with NumPy broadcasting of all three operands: <paramref name="whenTrue"/> where
    /// <paramref name="condition"/> is non-zero, else <paramref name="whenFalse"/>. The condition is a constant (no gradient flows into it).
    /// </summary>
    /// <remarks>∂L/∂a = ∂L/∂y where the condition holds (0 elsewhere); ∂L/∂b the complement; each summed back over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> Where(Tensor<T> condition, Tensor<T> whenTrue, Tensor<T> whenFalse, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(whenTrue);
        ArgumentNullException.ThrowIfNull(whenFalse);
        return WhereNode<T>.Apply(condition, whenTrue, whenFalse, OpCall.At("Where", file, line));
    }
}

internal sealed class WhereNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A copy of the condition, taken when recorded: writing into the caller's tensor later cannot change the gradient.</summary>
    private readonly Tensor<T> _condition;

    private WhereNode(Tensor<T> condition, Tensor<T> whenTrue, Tensor<T> whenFalse)
        : base("Where", whenTrue, whenFalse) => _condition = condition;

    public static Tensor<T> Apply(Tensor<T> condition, Tensor<T> whenTrue, Tensor<T> whenFalse, OpCall call = default)
    {
        var shape = Shape.Broadcast(Shape.Broadcast(condition.Shape, whenTrue.Shape, "Where"), whenFalse.Shape, "Where");
        var mask = Expand(condition, shape);
        var a = Expand(whenTrue, shape);
        var b = Expand(whenFalse, shape);
        var result = Tensor<T>.Uninitialized(shape);
        var output = result.Storage;
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = mask[i] != T.Zero ? a[i] : b[i];
        }
        return Tape.Record(call, result, Tape.Tracks(whenTrue, whenFalse) ? new WhereNode<T>(condition.CopyOfValues(), whenTrue, whenFalse) : null);
    }

    internal override bool BroadcastsInputs => true;

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => Select(index, outputGradient);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => Select(index, inputTangent);

    /// <summary>The values of <paramref name="value"/> on input <paramref name="index"/>'s side of the condition, 0 on the other.</summary>
    private Tensor<T> Select(int index, Tensor<T> value)
    {
        var zero = Tensor<T>.ZerosOf(Shape.Scalar);
        return index == 0 ? Apply(_condition, value, zero) : Apply(_condition, zero, value);
    }

    private static ReadOnlySpan<T> Expand(Tensor<T> x, Shape shape)
    {
        if (x.Shape == shape)
        {
            return x.Data;
        }
        var expanded = new T[shape.Length];
        BroadcastKernel.BroadcastCopy<T>(x.Data, x.Shape.Dimensions, expanded, shape.Dimensions);
        return expanded;
    }
}
