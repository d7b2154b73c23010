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

    /// <summary>1/√(2π), the density's factor.</summary>
    public const double InverseSqrt2Pi = 0.39894228040143268;

    /// <summary>Φ of each lane (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TSimd Cdf<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var lower = typeof(T) == typeof(float) ? FloatLowerTail<T, TSimd>(x, out _) : DoubleLowerTail<T, TSimd>(x);
        return FromLowerTail<T, TSimd>(x, lower);
    }

    /// <summary>
    /// Φ of each lane, and φ(x) = e^(−x²/2)/√(2π) in <paramref name="density"/>: in float from the lower tail's own
    /// exponential (with its exact square), in double as e^(x·x·(−½))·(1/√(2π)), the operations of the generic form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TSimd CdfAndDensity<T, TSimd>(TSimd x, out TSimd density)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        TSimd lower;
        if (typeof(T) == typeof(float))
        {
            lower = FloatLowerTail<T, TSimd>(x, out var exponential);
            density = exponential * VectorMath.Constant<T, TSimd>(InverseSqrt2Pi);
        }
        else
        {
            lower = DoubleLowerTail<T, TSimd>(x);
            density = VectorMath.Exp<T, TSimd>(x * x * VectorMath.Constant<T, TSimd>(-0.5)) * VectorMath.Constant<T, TSimd>(InverseSqrt2Pi);
        }
        return FromLowerTail<T, TSimd>(x, lower);
    }

    /// <summary>Φ(x) from Φ(−|x|): itself below 0, 1 − itself above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd FromLowerTail<T, TSimd>(TSimd x, TSimd lower)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> =>
        TSimd.ConditionalSelect(TSimd.LessThan(x, TSimd.Zero), lower, TSimd.One - lower);

    /// <summary>Φ(−|x|) = ½·erfc(|x|/√2) in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd DoubleLowerTail<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> =>
        VectorMath.Constant<T, TSimd>(0.5) * ErrorFunction.DoubleErfc<T, TSimd>(TSimd.Abs(x) * VectorMath.Constant<T, TSimd>(InverseSqrt2));

    /// <summary>Φ(−|x|) = e^(−u²/2)·P(u)/Q(u) in float (see the class remarks), and e^(−u²/2) in <paramref name="exponential"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd FloatLowerTail<T, TSimd>(TSimd x, out TSimd exponential)
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
        exponential = density;
        return density * (p / q);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TSimd Step(TSimd sum, TSimd variable, double coefficient) => TSimd.FusedMultiplyAdd(sum, variable, VectorMath.Constant<T, TSimd>(coefficient));
    }
}
