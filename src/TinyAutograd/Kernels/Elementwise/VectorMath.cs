using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// Transcendental functions on SIMD registers of float or double, for <see cref="Lanes{T, TSimd}"/>. The forward kernels
/// of the ops and the fused gradient loops call the same functions, so both give the same bits.
/// </summary>
/// <remarks>
/// The framework's vector exp, log, sin and cos use multiply-adds whose fusing depends on how far the JIT has optimized
/// the calling code (tiered compilation: unoptimized first, optimized later), so the same input could round
/// differently before and after. Every call to them goes through a wrapper of <see cref="ISimd{TSelf, T}"/> compiled fully
/// optimized from the start (<see cref="MethodImplOptions.AggressiveOptimization"/>), which fixes their rounding for the
/// process's lifetime.
/// </remarks>
internal static class VectorMath
{
    /// <summary>eˣ: the single-precision path of <see cref="ExponentialKernels"/> (within one ulp) for float, the
    /// framework's vector exponential for double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TSimd Exp<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> =>
        typeof(T) == typeof(float) ? ExponentialKernels.SingleExp<T, TSimd>(x) : TSimd.FrameworkExp(x);

    /// <summary>σ(x) as e/(1 + e) for x &lt; 0 and 1/(1 + e) otherwise, with e = e^−|x|: tiny results keep their
    /// relative accuracy and nothing overflows (σ(−1000) = 0, σ(1000) = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TSimd Sigmoid<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var e = Exp<T, TSimd>(-TSimd.Abs(x));
        var numerator = TSimd.ConditionalSelect(TSimd.LessThan(x, TSimd.Zero), e, TSimd.One);
        return numerator / (TSimd.One + e);
    }

    /// <summary>
    /// tanh x with the split of Cephes' tanh and tanhf (S. L. Moshier, 1984–2000): below |x| = 0.625, x + x·z·R(z) with
    /// z = x², R a polynomial of degree 4 for float and a ratio of degree 2 over 3 for double (the series, where
    /// 1 − 2/(e²ˣ + 1) would cancel); above, 1 − 2/(e^(2|x|) + 1) with the sign put back, which reaches ±1 without
    /// overflow (e^(2|x|) = ∞ gives 1); the sign is x's, −0 included. About two ulps either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TSimd Tanh<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var a = TSimd.Abs(x);
        var z = x * x;
        TSimd series;
        if (typeof(T) == typeof(float))
        {
            var p = Step(Step(Step(Step(C(-5.70498872745e-3), z, 2.06390887954e-2), z, -5.37397155531e-2), z, 1.33314422036e-1), z, -3.33332819422e-1);
            series = TSimd.FusedMultiplyAdd(x * z, p, x);
        }
        else
        {
            var p = Step(Step(C(-9.64399179425052238628e-1), z, -9.92877231001918586564e1), z, -1.61468768441708447952e3);
            var q = Step(Step(z + C(1.12811678491632931402e2), z, 2.23548839060100448583e3), z, 4.84406305325125486048e3);
            series = TSimd.FusedMultiplyAdd(x * z, p / q, x);
        }
        var large = TSimd.One - C(2) / (Exp<T, TSimd>(a + a) + TSimd.One);
        return TSimd.CopySign(TSimd.ConditionalSelect(TSimd.LessThan(a, C(0.625)), series, large), x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TSimd C(double value) => Constant<T, TSimd>(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TSimd Step(TSimd sum, TSimd variable, double coefficient) => TSimd.FusedMultiplyAdd(sum, variable, C(coefficient));
    }

    /// <summary>
    /// ln(1 + x) as ln(u)·x/(u − 1) with u = 1 + x rounded, and x itself where u = 1: the quotient undoes the rounding
    /// of u, which keeps the error within a few ulps (D. Goldberg, "What every computer scientist should know about
    /// floating-point arithmetic", ACM Computing Surveys 23(1), 1991, Theorem 4). ln(0) = −∞ at x = −1; NaN below.
    /// </summary>
    public static TSimd Log1p<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var u = TSimd.One + x;
        var log = TSimd.FrameworkLog(u);
        var corrected = log * (x / (u - TSimd.One));
        var exact = TSimd.Equals(u, TSimd.One) | TSimd.Equals(x, TSimd.Create(T.PositiveInfinity));
        return TSimd.ConditionalSelect(exact, x, corrected);
    }

    /// <summary>
    /// eˣ − 1 as (u − 1)·x/ln u with u = eˣ rounded, x itself where u = 1 and −1 where u − 1 = −1: the quotient undoes
    /// the rounding of u (W. Kahan's method; N. J. Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.,
    /// SIAM 2002, §1.14.1). +∞ stays +∞.
    /// </summary>
    public static TSimd Expm1<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var u = Exp<T, TSimd>(x);
        var log = TSimd.FrameworkLog(u);
        var less = u - TSimd.One;
        var corrected = less * (x / log);
        var minusOne = -TSimd.One;
        var result = TSimd.ConditionalSelect(TSimd.Equals(u, TSimd.One), x, corrected);
        result = TSimd.ConditionalSelect(TSimd.Equals(less, minusOne), minusOne, result);
        return TSimd.ConditionalSelect(TSimd.Equals(u, TSimd.Create(T.PositiveInfinity)), u, result);
    }

    /// <summary>Every lane <paramref name="value"/>, rounded once to <typeparamref name="T"/> (the coefficients of the kernels here and beside).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TSimd Constant<T, TSimd>(double value)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> => TSimd.Create(T.CreateTruncating(value));
}
