using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// The standard normal distribution function Φ(x) = ½·erfc(−x/√2) on vectors, from its lower tail
/// Φ(−u) (u = |x|) and Φ(x) = 1 − Φ(−x) above 0, so that the lower tail keeps its relative accuracy (½(1 + erf(x/√2))
/// would cancel there: at x = −5 it keeps only 2 of float's 24 bits).
/// <list type="bullet">
/// <item>Double: Φ(−u) = ½·erfc(u/√2) with fdlibm's erfc (<see cref="ErrorFunction.DoubleErfc{T, TSimd}"/>).</item>
/// <item>Float: Φ(−u) = e^(−u²/2)·P(u)/Q(u), with P of degree 4 and Q of degree 5 (positive coefficients, fitted for
/// this library by linearized least squares on the relative error against Φ evaluated to 40 digits, 2·10⁻⁸ in exact
/// arithmetic on [0, 14.2]); u²/2 is split into its rounded value and the rounding error (one fused multiply-add), so the
/// exponential sees the exact argument to first order. u is capped at 15, where Φ(−u) is below float's smallest
/// subnormal. One exponential and one division, against erf's two polynomials and an exponential.</item>
/// </list>
/// Φ(−∞) = 0, Φ(∞) = 1 and Φ(NaN) = NaN.
/// </summary>
internal static class NormalDistribution
{
    /// <summary>1/√2.</summary>
    private const double InverseSqrt2 = 0.70710678118654752;

    /// <summary>Φ of each lane (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TSimd Cdf<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var lower = typeof(T) == typeof(float) ? FloatLowerTail<T, TSimd>(x) : DoubleLowerTail<T, TSimd>(x);
        return TSimd.ConditionalSelect(TSimd.LessThan(x, TSimd.Zero), lower, TSimd.One - lower);
    }

    /// <summary>Φ(−|x|) = ½·erfc(|x|/√2) in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd DoubleLowerTail<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> =>
        VectorMath.Constant<T, TSimd>(0.5) * ErrorFunction.DoubleErfc<T, TSimd>(TSimd.Abs(x) * VectorMath.Constant<T, TSimd>(InverseSqrt2));

    /// <summary>Φ(−|x|) = e^(−u²/2)·P(u)/Q(u) in float (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd FloatLowerTail<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        // MINPS returns its second operand when either is NaN: a NaN x stays NaN.
        var u = TSimd.MinNative(VectorMath.Constant<T, TSimd>(15), TSimd.Abs(x));
        var square = u * u;
        var squareError = TSimd.FusedMultiplyAdd(u, u, -square);
        var density = VectorMath.Exp<T, TSimd>(square * VectorMath.Constant<T, TSimd>(-0.5));
        density = TSimd.FusedMultiplyAdd(density, squareError * VectorMath.Constant<T, TSimd>(-0.5), density);
        var p = Step(Step(Step(Step(VectorMath.Constant<T, TSimd>(0.004175997274779852), u, 0.04099101533665891), u, 0.18423046751519395), u, 0.4395342871914316), u, 0.5000000102285079);
        var q = Step(Step(Step(Step(Step(VectorMath.Constant<T, TSimd>(0.010467553576024524), u, 0.10275559743642038), u, 0.4721178690994963), u, 1.2064695444411762), u, 1.6769539088823902), u, 1);
        return density * (p / q);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TSimd Step(TSimd sum, TSimd variable, double coefficient) => TSimd.FusedMultiplyAdd(sum, variable, VectorMath.Constant<T, TSimd>(coefficient));
    }
}
