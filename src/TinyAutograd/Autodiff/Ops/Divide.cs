using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise quotient with NumPy broadcasting.</summary>
    /// <remarks>z = x / y; ∂L/∂x = ∂L/∂z / y and ∂L/∂y = −∂L/∂z·x / y², each summed back over broadcast axes. Division by 0 follows IEEE 754.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> operator /(Tensor<T> left, Tensor<T> right) => BinaryElementwiseNode<T, DivideOperator<T>, DivideRule<T>>.Apply(left, right);

    /// <summary>Elementwise quotient with NumPy broadcasting: <c>this / other</c>.</summary>
    public Tensor<T> Divide(Tensor<T> other, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(other);
        return BinaryElementwiseNode<T, DivideOperator<T>, DivideRule<T>>.Apply(this, other, OpCall.At("Divide", file, line));
    }
}

/// <summary>
/// z = x / y; ∂z/∂x = 1/y, ∂z/∂y = −x/y² = −z/y, the second formed as −(g/y)·z: the first partial times z. Both
/// −(g·x)/(y·y) (y² overflows from |y| ≈ 1.3·10¹⁵⁴ in double, 1.8·10¹⁹ in float) and PyTorch's −g·((x/y)/y) (whose
/// z/y underflows) lose derivatives that are ordinary numbers: in the second derivative of log(eᵘ) at u = 700 the
/// quotient 1/eᵘ = 10⁻³⁰⁴ receives g = 10³⁰⁴, and its partial for the denominator is −(10³⁰⁴/10³⁰⁴)·10⁻³⁰⁴ = −10⁻³⁰⁴,
/// where the other two orders give 0.
/// </summary>
internal readonly struct DivideRule<T> : IBinaryRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static string Name => "Divide";

    public static Saved Uses => Saved.Input | Saved.Output;

    public static TValue Left<TValue>(TValue g, TValue x, TValue y, TValue z)
        where TValue : struct, IElementValue<TValue> => g / y;

    public static TValue Right<TValue>(TValue g, TValue x, TValue y, TValue z)
        where TValue : struct, IElementValue<TValue> => -((g / y) * z);
}
