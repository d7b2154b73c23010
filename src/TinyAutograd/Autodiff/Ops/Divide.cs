using System.Numerics;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise quotient with NumPy broadcasting.</summary>
    /// <remarks>
    /// z = x / y; ∂L/∂x = ∂L/∂z / y and ∂L/∂y = −∂L/∂z·x / y², each summed back over broadcast axes.
    /// Division by zero follows IEEE 754 (±∞ or NaN).
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> operator /(Tensor<T> left, Tensor<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return DivideNode<T>.Apply(left, right);
    }

    /// <summary>Elementwise quotient with NumPy broadcasting: <c>this / other</c>.</summary>
    public Tensor<T> Divide(Tensor<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this / other;
    }
}

internal sealed class DivideNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private DivideNode(Tensor<T> left, Tensor<T> right)
        : base("Divide", left, right)
    {
    }

    public static Tensor<T> Apply(Tensor<T> left, Tensor<T> right)
    {
        var result = Tensor<T>.Broadcasting<DivideOperator<T>>(left, right, "Divide");
        return Graph.Tracks(left, right) ? Graph.Record(new DivideNode<T>(left, right), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        Unbroadcast(index == 0 ? outputGradient / Input(1) : -(outputGradient * Input(0) / (Input(1) * Input(1))), index);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        BroadcastToOutput(index == 0 ? inputTangent / Input(1) : -(inputTangent * Input(0) / (Input(1) * Input(1))));
}
