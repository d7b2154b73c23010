using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise error function erf(x) = (2/√π)∫₀ˣ e^(−t²) dt.</summary>
    /// <remarks>y = erf x; ∂L/∂x = ∂L/∂y·(2/√π)·e^(−x²). erf(±∞) = ±1 with gradient 0. Double values come from the rational approximations of fdlibm's s_erf.c (Sun Microsystems, 1993), within one ulp; float uses two polynomial pieces fitted for float (x + x·Q(x²) below 1, 1 − e^R(|x|) above), within one ulp of the double value rounded to float.</remarks>
    public Tensor<T> Erf([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, ErfRule<T>>.Apply(this, default, OpCall.At("Erf", file, line));
}

/// <summary>f(x) = erf x; g·f′ = g·(2/√π)·e^(−x²).</summary>
internal readonly struct ErfRule<T> : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>2/√π.</summary>
    private const double TwoOverSqrtPi = 1.1283791670955126;

    public string Name => "Erf";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.Erf(x);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * (TValue.Constant(TwoOverSqrtPi) * IElementValue<TValue>.ExpOfScaledSquare(x, -1));
}
