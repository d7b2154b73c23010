using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise square root √x.</summary>
    /// <remarks>y = √x; ∂L/∂x = ∂L/∂y / (2y): infinite at x = 0, NaN for x &lt; 0.</remarks>
    public Tensor<T> Sqrt([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, SqrtRule<T>>.Apply(this, default, OpCall.At("Sqrt", file, line));
}

/// <summary>f(x) = √x; g·f′ = g / (2y).</summary>
internal readonly struct SqrtRule<T> : IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Sqrt";

    public Saved Uses => Saved.Output;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sqrt(x, y);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g / (y * TValue.Constant(2));
}
