using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise natural logarithm ln x.</summary>
    /// <remarks>y = ln x; ∂L/∂x = ∂L/∂y / x. ln 0 = −∞ and ln of a negative number is NaN (IEEE 754).</remarks>
    public Tensor<T> Log([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, LogRule<T>>.Apply(this, default, OpCall.At("Log", file, line));
}

/// <summary>f(x) = ln x; g·f′ = g / x.</summary>
internal readonly struct LogRule<T> : IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Log";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Log(x, y);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g / x;
}
