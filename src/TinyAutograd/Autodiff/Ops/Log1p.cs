using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise ln(1 + x), accurate for x near 0.</summary>
    /// <remarks>y = ln(1 + x); ∂L/∂x = ∂L/∂y / (1 + x): log1p(−1) = −∞ with gradient +∞·sign(∂L/∂y), NaN below −1. Accurate to a few ulps via ln(u)·x/(u − 1) with u = 1 + x rounded (Goldberg 1991, Theorem 4).</remarks>
    public Tensor<T> Log1p([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, Log1pRule<T>>.Apply(this, default, OpCall.At("Log1p", file, line));
}

/// <summary>f(x) = ln(1 + x); g·f′ = g / (1 + x).</summary>
internal readonly struct Log1pRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Log1p";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.Log1p(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g / (TValue.Constant(1) + x);
}
