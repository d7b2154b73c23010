namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// The arithmetic an elementwise rule is written in. A rule states its function and derivative once, generic over
/// this interface; <see cref="Lanes{T, TSimd}"/> evaluates the statement on SIMD vectors (forward kernels, fused gradient
/// loops) and the differentiable tensor value of the autodiff layer evaluates it as recorded tensor ops (backward
/// rules that can themselves be differentiated). Both round every step alike, so the two give the same bits.
/// </summary>
/// <remarks>
/// Masks (from <see cref="GreaterThan"/>, <see cref="LessThan"/>, <see cref="And"/>) are values of the same type whose
/// representation is the implementation's own: use them only in <see cref="Select"/> and <see cref="And"/>.
/// </remarks>
/// <typeparam name="TSelf">The implementing value type.</typeparam>
internal interface IElementValue<TSelf>
    where TSelf : struct, IElementValue<TSelf>
{
    /// <summary>A constant, rounded once to the element type.</summary>
    static abstract TSelf Constant(double value);

    /// <summary>The sum, rounded.</summary>
    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>The difference, rounded.</summary>
    static abstract TSelf operator -(TSelf left, TSelf right);

    /// <summary>The product, rounded.</summary>
    static abstract TSelf operator *(TSelf left, TSelf right);

    /// <summary>The quotient, rounded.</summary>
    static abstract TSelf operator /(TSelf left, TSelf right);

    /// <summary>The negation (exact).</summary>
    static abstract TSelf operator -(TSelf value);

    /// <summary>eˣ.</summary>
    static abstract TSelf Exp(TSelf x);

    /// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
    static abstract TSelf Sigmoid(TSelf x);

    /// <summary>tanh x.</summary>
    static abstract TSelf Tanh(TSelf x);

    /// <summary>The error function erf(x).</summary>
    static abstract TSelf Erf(TSelf x);

    /// <summary>The standard normal distribution function Φ(x) = ½·erfc(−x/√2).</summary>
    static abstract TSelf NormalCdf(TSelf x);

    /// <summary>Φ(x), and the density φ(x) = e^(−x²/2)/√(2π) in <paramref name="density"/>; SIMD lanes share the exponential.</summary>
    static virtual TSelf NormalCdf(TSelf x, out TSelf density)
    {
        density = ExpOfScaledSquare(x, -0.5) * TSelf.Constant(NormalDistribution.InverseSqrt2Pi);
        return TSelf.NormalCdf(x);
    }

    /// <summary>
    /// e^(k·x²) for k &lt; 0, with x² held at −800/k where it is larger (the result is 0 from there on, e⁻⁸⁰⁰ being below
    /// the smallest double): for |x| beyond 10¹⁵⁴ x² overflows, and a tangent of that infinity times the exponential's 0
    /// was NaN (a forward-over-reverse HVP through Φ(e³⁸⁵)). A NaN x stays NaN.
    /// </summary>
    static TSelf ExpOfScaledSquare(TSelf x, double k)
    {
        var square = x * x;
        var cap = TSelf.Constant(-800 / k);
        return TSelf.Exp(TSelf.Select(TSelf.LessThan(cap, square), cap, square) * TSelf.Constant(k));
    }

    /// <summary>sin x.</summary>
    static abstract TSelf Sin(TSelf x);

    /// <summary>cos x.</summary>
    static abstract TSelf Cos(TSelf x);

    /// <summary>√x, correctly rounded.</summary>
    static abstract TSelf Sqrt(TSelf x);

    /// <summary>ln(1 + x), accurate for small x.</summary>
    static abstract TSelf Log1p(TSelf x);

    /// <summary>eˣ − 1, accurate for small x.</summary>
    static abstract TSelf Expm1(TSelf x);

    /// <summary>The mask of left &gt; right (false where either is NaN).</summary>
    static abstract TSelf GreaterThan(TSelf left, TSelf right);

    /// <summary>The mask of left &lt; right (false where either is NaN).</summary>
    static abstract TSelf LessThan(TSelf left, TSelf right);

    /// <summary>The mask where both masks hold.</summary>
    static abstract TSelf And(TSelf left, TSelf right);

    /// <summary><paramref name="whenTrue"/> where <paramref name="mask"/> holds, else <paramref name="whenFalse"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf whenTrue, TSelf whenFalse);
}
