using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise SiLU (swish) x·σ(x).</summary>
    /// <remarks>y = x·σ(x); ∂L/∂x = ∂L/∂y·σ(x)·(1 + x·(1 − σ(x))). σ is evaluated without overflow, so silu(−1000) = −0 and silu(1000) = 1000.</remarks>
    public Tensor<T> Silu([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, SiluRule<T>>.Apply(this, default, OpCall.At("Silu", file, line));
}

/// <summary>f(x) = x·σ(x); g·f′ = g·σ(x)(1 + x(1 − σ(x))), σ recomputed from x.</summary>
internal readonly struct SiluRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Silu";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => x * TValue.Sigmoid(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue>
    {
        var s = TValue.Sigmoid(x);
        var one = TValue.Constant(1);
        return g * (s * (one + x * (one - s)));
    }
}
