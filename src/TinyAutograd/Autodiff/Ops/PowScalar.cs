using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Raises every element to a constant power.</summary>
    /// <remarks>y = xᵖ; ∂L/∂x = ∂L/∂y·p·x^(p−1). Negative x with a non-integer p gives NaN (IEEE 754).</remarks>
    public Tensor<T> Pow(double exponent, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => PowScalarNode<T>.Apply(this, Constant(exponent), OpCall.At("Pow", file, line));
}

internal sealed class PowScalarNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _exponent;

    private PowScalarNode(Tensor<T> x, T exponent)
        : base("PowScalar", x) => _exponent = exponent;

    public static Tensor<T> Apply(Tensor<T> x, T exponent, OpCall call = default)
    {
        var result = Tensor<T>.Uninitialized(x.Shape);
        TensorPrimitives.Pow(x.Data, exponent, result.Storage);
        return Tape.Record(call, result, Tape.Tracks(x) ? new PowScalarNode<T>(x, exponent) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Derivative();

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Derivative();

    /// <summary>p·x^(p−1), differentiable (0 when p = 0).</summary>
    private Tensor<T> Derivative() =>
        _exponent == T.Zero ? Tensor<T>.ZerosOf(Input(0).Shape) : Apply(Input(0), _exponent - T.One) * double.CreateTruncating(_exponent);
}
