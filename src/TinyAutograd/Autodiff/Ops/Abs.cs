using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise absolute value |x|.</summary>
    /// <remarks>y = |x|; ∂L/∂x = ∂L/∂y·sign(x), with sign(0) = 0 (the subgradient PyTorch and JAX use) and sign(NaN) = NaN.</remarks>
    public Tensor<T> Abs([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, AbsRule<T>>.Apply(this, default, OpCall.At("Abs", file, line));
}

/// <summary>f(x) = |x|; g·f′ = g·sign(x), sign(x) being 1, −1, or x·0 (0, or NaN for NaN).</summary>
internal readonly struct AbsRule<T> : IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Abs";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Abs(x, y);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue>
    {
        var zero = TValue.Constant(0);
        var sign = TValue.Select(TValue.GreaterThan(x, zero), TValue.Constant(1), TValue.Select(TValue.LessThan(x, zero), TValue.Constant(-1), x * zero));
        return g * sign;
    }
}
