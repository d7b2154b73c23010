using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise hyperbolic tangent.</summary>
    /// <remarks>y = tanh x; ∂L/∂x = ∂L/∂y·(1 − y²).</remarks>
    public Tensor<T> Tanh([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, TanhRule<T>>.Apply(this, default, OpCall.At("Tanh", file, line));
}

/// <summary>f(x) = tanh x (<see cref="VectorMath.Tanh{T, TSimd}"/>); g·f′ = g·(1 − y²).</summary>
internal readonly struct TanhRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Tanh";

    public Saved Uses => Saved.Output;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.Tanh(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * (TValue.Constant(1) - y * y);
}
