using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// Transcendental functions on 512-bit vectors of float or double, for <see cref="Lanes{T}"/>. The forward kernels of
/// the ops and the fused gradient loops call the same functions, so both give the same bits.
/// </summary>
/// <remarks>
/// The framework's vector exp, log, sin and cos use multiply-adds whose fusing depends on how far the JIT has optimized
/// the calling code (tiered compilation: unoptimized first, optimized later), so the same input could round
/// differently before and after. Every call to them goes through a wrapper compiled fully optimized from the start
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>), which fixes their rounding for the process's lifetime.
/// </remarks>
internal static class VectorMath
{
    /// <summary>eˣ: the single-precision path of <see cref="ExponentialKernels"/> (within one ulp) for float,
    /// <see cref="Vector512.Exp(Vector512{double})"/> for double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var single = x.As<T, float>();
            return ExponentialKernels.Exp(single).As<float, T>();
        }
        return Framework.Exp(x.As<T, double>()).As<double, T>();
    }

    /// <summary>σ(x) as e/(1 + e) for x &lt; 0 and 1/(1 + e) otherwise, with e = e^−|x|: tiny results keep their
    /// relative accuracy and nothing overflows (σ(−1000) = 0, σ(1000) = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sigmoid<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = Exp(-Vector512.Abs(x));
        var numerator = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), e, Vector512<T>.One);
        return numerator / (Vector512<T>.One + e);
    }

    /// <summary>sin x (<see cref="Vector512.Sin(Vector512{double})"/>).</summary>
    public static Vector512<T> Sin<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Framework.Sin(x.As<T, float>()).As<float, T>() : Framework.Sin(x.As<T, double>()).As<double, T>();

    /// <summary>cos x (<see cref="Vector512.Cos(Vector512{double})"/>).</summary>
    public static Vector512<T> Cos<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Framework.Cos(x.As<T, float>()).As<float, T>() : Framework.Cos(x.As<T, double>()).As<double, T>();

    /// <summary>
    /// ln(1 + x) as ln(u)·x/(u − 1) with u = 1 + x rounded, and x itself where u = 1: the quotient undoes the rounding
    /// of u, which keeps the error within a few ulps (D. Goldberg, "What every computer scientist should know about
    /// floating-point arithmetic", ACM Computing Surveys 23(1), 1991, Theorem 4). ln(0) = −∞ at x = −1; NaN below.
    /// </summary>
    public static Vector512<T> Log1p<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = Vector512<T>.One + x;
        var log = Log(u);
        var corrected = log * (x / (u - Vector512<T>.One));
        var exact = Vector512.Equals(u, Vector512<T>.One) | Vector512.Equals(x, Vector512.Create(T.PositiveInfinity));
        return Vector512.ConditionalSelect(exact, x, corrected);
    }

    /// <summary>
    /// eˣ − 1 as (u − 1)·x/ln u with u = eˣ rounded, x itself where u = 1 and −1 where u − 1 = −1: the quotient undoes
    /// the rounding of u (W. Kahan's method; N. J. Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.,
    /// SIAM 2002, §1.14.1). +∞ stays +∞.
    /// </summary>
    public static Vector512<T> Expm1<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = Exp(x);
        var log = Log(u);
        var less = u - Vector512<T>.One;
        var corrected = less * (x / log);
        var minusOne = -Vector512<T>.One;
        var result = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<T>.One), x, corrected);
        result = Vector512.ConditionalSelect(Vector512.Equals(less, minusOne), minusOne, result);
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512.Create(T.PositiveInfinity)), u, result);
    }

    /// <summary>erf(x) (<see cref="ErrorFunction"/>), in the lanes' own precision.</summary>
    public static Vector512<T> Erf<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => ErrorFunction.Erf(x);

    private static Vector512<T> Log<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Framework.Log(x.As<T, float>()).As<float, T>() : Framework.Log(x.As<T, double>()).As<double, T>();

    /// <summary>The framework's functions, each compiled fully optimized once (see the class remarks).</summary>
    private static class Framework
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Vector512<double> Exp(Vector512<double> x) => Vector512.Exp(x);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Log(Vector512<float> x) => Vector512.Log(x);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Vector512<double> Log(Vector512<double> x) => Vector512.Log(x);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Sin(Vector512<float> x) => Vector512.Sin(x);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Vector512<double> Sin(Vector512<double> x) => Vector512.Sin(x);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Cos(Vector512<float> x) => Vector512.Cos(x);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Vector512<double> Cos(Vector512<double> x) => Vector512.Cos(x);
    }
}
