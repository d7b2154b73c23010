using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise sine sin x (x in radians).</summary>
    /// <remarks>y = sin x; ∂L/∂x = ∂L/∂y·cos x.</remarks>
    public Tensor<T> Sin([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, SinRule<T>>.Apply(this, default, OpCall.At("Sin", file, line));
}

/// <summary>f(x) = sin x; g·f′ = g·cos x.</summary>
internal readonly struct SinRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Sin";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.Sin(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * TValue.Cos(x);
}
