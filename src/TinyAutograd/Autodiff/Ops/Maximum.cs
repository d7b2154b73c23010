using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise maximum with NumPy broadcasting; NaN if either operand is NaN.</summary>
    /// <remarks>
    /// z = max(x, y); ∂L/∂x = ∂L/∂z·s and ∂L/∂y = ∂L/∂z·(1 − s) with s = 1 where x &gt; y, 0 where x &lt; y and
    /// ½ on ties, so a tie splits the gradient evenly between the two operands.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public Tensor<T> Maximum(Tensor<T> other, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(other);
        return MaximumNode<T>.Apply(this, other, OpCall.At("Maximum", file, line));
    }

    /// <summary>Elementwise minimum with NumPy broadcasting: min(x, y) = −max(−x, −y), so ties split the gradient evenly.</summary>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public Tensor<T> Minimum(Tensor<T> other, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(other);
        using var composite = OpCall.Enter(OpCall.At("Minimum", file, line));
        return -MaximumNode<T>.Apply(-this, -other);
    }
}

internal sealed class MaximumNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _leftShare;

    private MaximumNode(Tensor<T> left, Tensor<T> right)
        : base("Maximum", left, right)
    {
    }

    public static Tensor<T> Apply(Tensor<T> left, Tensor<T> right, OpCall call = default)
    {
        var result = Tensor<T>.Broadcasting<MaximumOperator<T>>(left, right, "Maximum");
        return Tape.Record(call, result, Tape.Tracks(left, right) ? new MaximumNode<T>(left, right) : null);
    }

    internal override bool BroadcastsInputs => true;

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Share(index);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Share(index);

    /// <summary>The constant share of the output's derivative that goes to input <paramref name="index"/>.</summary>
    private Tensor<T> Share(int index)
    {
        _leftShare ??= Tensor<T>.Broadcasting<MaximumShareOperator<T>>(Input(0), Input(1), "Maximum");
        return index == 0 ? _leftShare : _leftShare.Map(static (share, other) => System.Numerics.Tensors.TensorPrimitives.Subtract(T.One, share, other));
    }
}
