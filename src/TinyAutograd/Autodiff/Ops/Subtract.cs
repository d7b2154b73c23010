using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise difference with NumPy broadcasting.</summary>
    /// <remarks>z = x − y; ∂L/∂x = ∂L/∂z and ∂L/∂y = −∂L/∂z, each summed back over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static Tensor<T> operator -(Tensor<T> left, Tensor<T> right) => BinaryElementwiseNode<T, SubtractOperator<T>, SubtractRule<T>>.Apply(left, right);

    /// <summary>Elementwise difference with NumPy broadcasting: <c>this − other</c>.</summary>
    public Tensor<T> Subtract(Tensor<T> other, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(other);
        return BinaryElementwiseNode<T, SubtractOperator<T>, SubtractRule<T>>.Apply(this, other, OpCall.At("Subtract", file, line));
    }
}

/// <summary>z = x − y; ∂z/∂x = 1, ∂z/∂y = −1.</summary>
internal readonly struct SubtractRule<T> : IBinaryRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static string Name => "Subtract";

    public static Saved Uses => Saved.None;

    public static TValue Left<TValue>(TValue g, TValue x, TValue y, TValue z)
        where TValue : struct, IElementValue<TValue> => g;

    public static TValue Right<TValue>(TValue g, TValue x, TValue y, TValue z)
        where TValue : struct, IElementValue<TValue> => -g;
}
