using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise negation.</summary>
    /// <remarks>y = −x; ∂L/∂x = −∂L/∂y.</remarks>
    public static Tensor<T> operator -(Tensor<T> x) => ElementwiseNode<T, NegateRule<T>>.Apply(x, default);

    /// <summary>Elementwise negation: <c>−this</c>.</summary>
    public Tensor<T> Negate([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => ElementwiseNode<T, NegateRule<T>>.Apply(this, default, OpCall.At("Negate", file, line));
}

/// <summary>f(x) = −x; g·f′ = −g.</summary>
internal readonly struct NegateRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Negate";

    public Saved Uses => Saved.None;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => -x;

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => -g;
}
