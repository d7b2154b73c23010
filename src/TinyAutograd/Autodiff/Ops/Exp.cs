using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise exponential eˣ.</summary>
    /// <remarks>y = eˣ; ∂L/∂x = ∂L/∂y·y (the saved result is reused).</remarks>
    public Tensor<T> Exp([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, ExpRule<T>>.Apply(this, default, OpCall.At("Exp", file, line));
}

/// <summary>f(x) = eˣ; g·f′ = g·y.</summary>
internal readonly struct ExpRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Exp";

    public Saved Uses => Saved.Output;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.Exp(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * y;
}
