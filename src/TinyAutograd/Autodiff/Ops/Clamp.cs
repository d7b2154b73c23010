using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise clamp of x to [min, max]; use ±∞ for a one-sided bound.</summary>
    /// <remarks>
    /// y = min where x &lt; min, max where x &gt; max, x elsewhere (NaN stays NaN). ∂L/∂x = ∂L/∂y strictly inside the
    /// bounds (min &lt; x &lt; max) and 0 elsewhere, so at x = min or x = max exactly the gradient is 0. PyTorch passes the
    /// gradient at the bounds too (its mask is min ≤ x ≤ max); here a value sitting on a bound is treated as clamped.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>, or either is NaN.</exception>
    public Tensor<T> Clamp(double min, double max, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        if (!(min <= max))
        {
            throw new ArgumentException($"Clamp: the bounds must satisfy min ≤ max and not be NaN; got min = {min}, max = {max} for {Describe()}.", nameof(min));
        }
        return ElementwiseNode<T, ClampRule<T>>.Apply(this, new(min, max), OpCall.At("Clamp", file, line));
    }
}

/// <summary>f(x) = min(max(x, lower), upper) (NaN passes); g·f′ = g where lower &lt; x &lt; upper, else 0.</summary>
internal readonly struct ClampRule<T>(double lower, double upper) : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Clamp";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue>
    {
        var (low, high) = (TValue.Constant(lower), TValue.Constant(upper));
        return TValue.Select(TValue.LessThan(x, low), low, TValue.Select(TValue.GreaterThan(x, high), high, x));
    }

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue>
    {
        var inside = TValue.And(TValue.GreaterThan(x, TValue.Constant(lower)), TValue.LessThan(x, TValue.Constant(upper)));
        return TValue.Select(inside, g, TValue.Constant(0));
    }
}
