using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise power xʸ with NumPy broadcasting.</summary>
    /// <remarks>
    /// z = xʸ; ∂L/∂x = ∂L/∂z·y·x^(y−1) and ∂L/∂y = ∂L/∂z·z·ln x. The gradient with respect to the exponent needs
    /// x &gt; 0 (at x ≤ 0 it is NaN or infinite, as ln x is); for a constant exponent use <see cref="Pow(double, string?, int)"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public Tensor<T> Pow(Tensor<T> exponent, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(exponent);
        return PowNode<T>.Apply(this, exponent, OpCall.At("Pow", file, line));
    }
}

internal sealed class PowNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private PowNode(Tensor<T> x, Tensor<T> exponent)
        : base("Pow", x, exponent)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, Tensor<T> exponent, OpCall call = default)
    {
        var result = Tensor<T>.Broadcasting<PowOperator<T>>(x, exponent, "Pow");
        return Tape.Record(call, result, Tape.Tracks(x, exponent) ? new PowNode<T>(x, exponent) : null);
    }

    internal override bool BroadcastsInputs => true;

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Derivative(index);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Derivative(index);

    /// <summary>∂z/∂x = y·x^(y−1) or ∂z/∂y = z·ln x, as differentiable tensors.</summary>
    private Tensor<T> Derivative(int index) =>
        index == 0 ? Input(1) * Input(0).Pow(Input(1) - 1.0) : Output * Input(0).Log();
}
