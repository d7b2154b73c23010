using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise reciprocal square root 1/√x.</summary>
    /// <remarks>y = 1/√x (a correctly rounded square root, then a division); ∂L/∂x = −½·∂L/∂y·y³: +∞ at x = 0, NaN for x &lt; 0.</remarks>
    public Tensor<T> Rsqrt([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, RsqrtRule<T>>.Apply(this, default, OpCall.At("Rsqrt", file, line));
}

/// <summary>f(x) = 1/√x; g·f′ = g·y³·(−½), formed as ((g·y)·y)·y·(−½), so that y³ cannot underflow or overflow where the
/// result is an ordinary number (as in <see cref="ReciprocalRule{T}"/>).</summary>
internal readonly struct RsqrtRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Rsqrt";

    public Saved Uses => Saved.Output;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.Constant(1) / TValue.Sqrt(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * y * y * y * TValue.Constant(-0.5);
}
