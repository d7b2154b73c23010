using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise eˣ − 1, accurate for x near 0.</summary>
    /// <remarks>y = eˣ − 1; ∂L/∂x = ∂L/∂y·(y + 1). Accurate to a few ulps via (u − 1)·x/ln u with u = eˣ rounded (Kahan; Higham 2002, §1.14.1).</remarks>
    public Tensor<T> Expm1([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, Expm1Rule<T>>.Apply(this, default, OpCall.At("Expm1", file, line));
}

/// <summary>f(x) = eˣ − 1; g·f′ = g·(y + 1).</summary>
internal readonly struct Expm1Rule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Expm1";

    public Saved Uses => Saved.Output;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.Expm1(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * (y + TValue.Constant(1));
}
