using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise product with NumPy broadcasting.</summary>
    /// <remarks>z = x·y; ∂L/∂x = ∂L/∂z·y and ∂L/∂y = ∂L/∂z·x, each summed back over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> operator *(Tensor<T> left, Tensor<T> right) => BinaryElementwiseNode<T, MultiplyOperator<T>, MultiplyRule<T>>.Apply(left, right);

    /// <summary>Elementwise product with NumPy broadcasting: <c>this · other</c>.</summary>
    public Tensor<T> Multiply(Tensor<T> other, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(other);
        return BinaryElementwiseNode<T, MultiplyOperator<T>, MultiplyRule<T>>.Apply(this, other, OpCall.At("Multiply", file, line));
    }
}

/// <summary>z = x·y; ∂z/∂x = y, ∂z/∂y = x.</summary>
internal readonly struct MultiplyRule<T> : IBinaryRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static string Name => "Multiply";

    public static Saved Uses => Saved.Input;

    public static TValue Left<TValue>(TValue g, TValue x, TValue y, TValue z)
        where TValue : struct, IElementValue<TValue> => g * y;

    public static TValue Right<TValue>(TValue g, TValue x, TValue y, TValue z)
        where TValue : struct, IElementValue<TValue> => g * x;
}
