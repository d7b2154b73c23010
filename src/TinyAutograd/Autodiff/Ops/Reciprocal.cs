using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise reciprocal 1/x.</summary>
    /// <remarks>y = 1/x; ∂L/∂x = −∂L/∂y·y². 1/0 = +∞ (IEEE 754).</remarks>
    public Tensor<T> Reciprocal([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, ReciprocalRule<T>>.Apply(this, default, OpCall.At("Reciprocal", file, line));

    /// <summary>A scalar divided elementwise by a tensor.</summary>
    /// <remarks>y = c / x; ∂L/∂x = −∂L/∂y·c / x².</remarks>
    public static Tensor<T> operator /(double scalar, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return BinaryElementwiseNode<T, DivideOperator<T>, DivideRule<T>>.Apply(Filled(Shape.Scalar, Constant(scalar)), x);
    }
}

/// <summary>f(x) = 1/x; g·f′ = −g·y², formed as −(g·y)·y: y² underflows (and overflows) where g·y, then its product
/// with y, are ordinary numbers (g = 10³⁰⁴, y = 10⁻³⁰⁴: −g·(y·y) gave 0 instead of −10⁻³⁰⁴).</summary>
internal readonly struct ReciprocalRule<T> : IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Reciprocal";

    public Saved Uses => Saved.Output;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Divide(T.One, x, y);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => -(g * y * y);
}
