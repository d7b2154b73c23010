using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise standard normal distribution function Φ(x) = ½·erfc(−x/√2) (PyTorch's <c>special.ndtr</c>).</summary>
    /// <remarks>y = Φ(x); ∂L/∂x = ∂L/∂y·φ(x), φ(x) = e^(−x²/2)/√(2π). Φ(−∞) = 0 and Φ(∞) = 1, with gradient 0. The lower tail
    /// is computed as such (Φ(x) = 1 − Φ(−x) above 0), so it keeps its relative accuracy where ½(1 + erf(x/√2)) would
    /// cancel. Double values come from fdlibm's erfc (s_erf.c, Sun Microsystems, 1993); float uses
    /// e^(−x²/2)·P(|x|)/Q(|x|) fitted for float, within 5 ulps of the double value rounded to float (2 above −1).</remarks>
    public Tensor<T> NormalCdf([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, NormalCdfRule<T>>.Apply(this, default, OpCall.At("NormalCdf", file, line));
}

/// <summary>f(x) = Φ(x); g·f′ = g·e^(−x²/2)/√(2π).</summary>
internal readonly struct NormalCdfRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>1/√(2π).</summary>
    private const double InverseSqrt2Pi = 0.3989422804014327;

    public string Name => "NormalCdf";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.NormalCdf(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * (TValue.Constant(InverseSqrt2Pi) * IElementValue<TValue>.ExpOfScaledSquare(x, -0.5));
}
