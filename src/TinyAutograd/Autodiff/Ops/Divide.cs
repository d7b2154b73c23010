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
/// z = x / y; ∂z/∂x = 1/y, ∂z/∂y = −x/y² = −z/y. The second partial is formed as −(g/y)·z, the first partial times
/// z: y² overflows (double from |y| ≈ 1.3·10¹⁵⁴, float from 1.8·10¹⁹) and z/y underflows where g/y, the gradient the
/// numerator receives, is an ordinary number. −(g·x)/(y·y) gave 0 for the second derivative of log(eᵘ) at u = 700
/// (1/x² overflowing), and −g·(z/y) (PyTorch's order) gives 0 there too (z/y = 10⁻⁶⁰⁸), where the answer is 0 − 1·… = −1
/// times the upstream 10³⁰⁴ divided by 10³⁰⁴.
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
