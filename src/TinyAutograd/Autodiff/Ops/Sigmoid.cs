using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ).</summary>
    /// <remarks>y = σ(x); ∂L/∂x = ∂L/∂y·y(1 − y). Saturates cleanly: σ(−1000) = 0 and σ(1000) = 1 with gradient 0.</remarks>
    public Tensor<T> Sigmoid([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, SigmoidRule<T>>.Apply(this, default, OpCall.At("Sigmoid", file, line));
}

/// <summary>f(x) = σ(x); g·f′ = g·y·(1 − y).</summary>
internal readonly struct SigmoidRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Sigmoid";

    public Saved Uses => Saved.Output;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.Sigmoid(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * y * (TValue.Constant(1) - y);
}
