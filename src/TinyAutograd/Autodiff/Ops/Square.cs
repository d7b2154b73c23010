using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise square x².</summary>
    /// <remarks>y = x²; ∂L/∂x = ∂L/∂y·2x.</remarks>
    public Tensor<T> Square([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, SquareRule<T>>.Apply(this, default, OpCall.At("Square", file, line));
}

/// <summary>f(x) = x²; g·f′ = g·(2x).</summary>
internal readonly struct SquareRule<T> : IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Square";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Multiply(x, x, y);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * (x * TValue.Constant(2));
}
