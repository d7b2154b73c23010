using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// The error function erf(x) = (2/√π)∫₀ˣ e^(−t²) dt on vectors of doubles, with the rational approximations of Sun's
/// fdlibm s_erf.c (1993; also FreeBSD msun and musl), which keep the error below one ulp given an accurate exponential:
/// <list type="bullet">
/// <item>|x| &lt; 0.84375: erf(x) = x + x·P(x²)/Q(x²);</item>
/// <item>0.84375 ≤ |x| &lt; 1.25: erf(x) = c + P(s)/Q(s), s = |x| − 1, c = 0.845062911510467529297;</item>
/// <item>1.25 ≤ |x| &lt; 6: erf(x) = 1 − e^(−z² − 0.5625)·e^((z − |x|)(z + |x|) + R(1/x²)/S(1/x²))/|x|, with z = |x| cut
/// to its upper 32 bits (so that z² is exact), and two coefficient sets split at |x| = 1/0.35;</item>
/// <item>|x| ≥ 6: erf(x) = 1 to double precision.</item>
/// </list>
/// The same pieces give erfc for the normal distribution function (<see cref="DoubleErfc{T, TSimd}"/>); fdlibm's
/// second coefficient set of the tail holds up to 28, where erfc underflows.
/// All branches are evaluated and each lane takes its own; the sign is put back at the end (erf is odd). erf(±∞) = ±1
/// and erf(NaN) = NaN.
/// <para>
/// Float lanes use two pieces fitted for float instead (coefficients fitted for this library by least squares
/// reweighted toward the smallest largest relative error, against erf and log erfc evaluated to 40 digits):
/// <list type="bullet">
/// <item>|x| &lt; 1: erf(x) = x + x·Q(x²), Q of degree 7;</item>
/// <item>|x| ≥ 1: erf(x) = 1 − e^R(min(|x|, 4)), R of degree 11 fitting log erfc on [1, 4] (erf rounds to 1 in float
/// from |x| ≈ 3.92 on).</item>
/// </list>
/// The polynomials go by Horner's rule in fused multiply-adds. No division and one exponential: about a fifth of the
/// double formulas' work, which float's precision does not need.
/// Against the double evaluation rounded to float, the result is within one ulp (the tests sweep [−7, 7] in steps of
/// 10⁻⁴, both sides of 1, and tiny, subnormal and infinite inputs).
/// </para>
/// </summary>
internal static class ErrorFunction
{
    private const double Erx = 8.45062911510467529297e-01;

    private static readonly double[] Pp = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
    private static readonly double[] Qq = [1, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
    private static readonly double[] Pa = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
    private static readonly double[] Qa = [1, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];

    /// <summary>R and S for 1.25 ≤ |x| &lt; 1/0.35 (ra, sa) and for 1/0.35 ≤ |x| &lt; 6 (rb, sb, padded with 0).</summary>
    private static readonly double[] Ra = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
    private static readonly double[] Sa = [1, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
    private static readonly double[] Rb = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02, 0];
    private static readonly double[] Sb = [1, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01, 0];

    /// <summary>erf of each lane, evaluated in the lanes' own precision (see the class remarks for float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TSimd Erf<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> =>
        typeof(T) == typeof(float) ? FloatErf<T, TSimd>(x) : DoubleErf<T, TSimd>(x);

    /// <summary>erf of double lanes by fdlibm's formulas (see the class remarks).</summary>
    private static TSimd DoubleErf<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var one = TSimd.One;
        var a = TSimd.Abs(x);
        var small = Small<T, TSimd>(a);
        var middle = VectorMath.Constant<T, TSimd>(Erx) + MiddleRatio<T, TSimd>(a);
        var large = one - Tail<T, TSimd>(a);

        var result = TSimd.ConditionalSelect(TSimd.LessThan(a, VectorMath.Constant<T, TSimd>(6.0)), large, one);
        result = TSimd.ConditionalSelect(TSimd.LessThan(a, VectorMath.Constant<T, TSimd>(1.25)), middle, result);
        result = TSimd.ConditionalSelect(TSimd.LessThan(a, VectorMath.Constant<T, TSimd>(0.84375)), small, result);
        result = TSimd.ConditionalSelect(TSimd.IsNaN(x), x, result);
        return TSimd.CopySign(result, x);
    }

    /// <summary>
    /// erfc(a) = 1 − erf(a) of double lanes with a ≥ 0 (or NaN), by the same pieces: 1 − erf(a) below 1.25, where the
    /// result is above 0.07 and the difference loses little; the tail e^(−a²)·(…)/a itself from 1.25 up to 28, where it
    /// keeps its relative accuracy down to the subnormals; 0 beyond.
    /// </summary>
    public static TSimd DoubleErfc<T, TSimd>(TSimd a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var one = TSimd.One;
        var small = one - Small<T, TSimd>(a);
        var middle = VectorMath.Constant<T, TSimd>(1 - Erx) - MiddleRatio<T, TSimd>(a);
        var tail = Tail<T, TSimd>(a);

        var result = TSimd.ConditionalSelect(TSimd.LessThan(a, VectorMath.Constant<T, TSimd>(28.0)), tail, TSimd.Zero);
        result = TSimd.ConditionalSelect(TSimd.LessThan(a, VectorMath.Constant<T, TSimd>(1.25)), middle, result);
        result = TSimd.ConditionalSelect(TSimd.LessThan(a, VectorMath.Constant<T, TSimd>(0.84375)), small, result);
        return TSimd.ConditionalSelect(TSimd.IsNaN(a), a, result);
    }

    /// <summary>erf(a) = a + a·P(a²)/Q(a²), for a &lt; 0.84375.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd Small<T, TSimd>(TSimd a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var z = a * a;
        return a + a * (Horner<T, TSimd>(Coefficients<T>.Pp, z) / Horner<T, TSimd>(Coefficients<T>.Qq, z));
    }

    /// <summary>P(s)/Q(s) with s = a − 1: erf(a) = c + P/Q and erfc(a) = (1 − c) − P/Q for 0.84375 ≤ a &lt; 1.25.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd MiddleRatio<T, TSimd>(TSimd a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var s = a - TSimd.One;
        return Horner<T, TSimd>(Coefficients<T>.Pa, s) / Horner<T, TSimd>(Coefficients<T>.Qa, s);
    }

    /// <summary>erfc(a) = e^(−z² − 0.5625)·e^((z − a)(z + a) + R(1/a²)/S(1/a²))/a for 1.25 ≤ a &lt; 28 (z is a cut short).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd Tail<T, TSimd>(TSimd a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var inverse = TSimd.One / (a * a);
        var near = TSimd.LessThan(a, VectorMath.Constant<T, TSimd>(1 / 0.35));
        var ratio = Horner<T, TSimd>(Coefficients<T>.Ra, Coefficients<T>.Rb, near, inverse) / Horner<T, TSimd>(Coefficients<T>.Sa, Coefficients<T>.Sb, near, inverse);
        var cut = Cut<T, TSimd>(a);
        return VectorMath.Exp<T, TSimd>(-(cut * cut) - VectorMath.Constant<T, TSimd>(0.5625)) * VectorMath.Exp<T, TSimd>((cut - a) * (cut + a) + ratio) / a;
    }

    /// <summary>
    /// erf of float lanes by the two float pieces (see the class remarks), written out straight, without coefficient
    /// arrays or loops. Compiled once, fully optimized, as a function of its own that the loops call per register: inlined
    /// into a loop whose rule also needs an exponential (GELU's gradient, when it still went through erf, and erf's own
    /// tangent), it overran the JIT's inlining budget, and the loop's lane operations became calls (14 ms instead of
    /// 3.6 ms per million floats). The call costs about a fifth of erf alone (1.9 → 2.8 ms per million floats).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static TSimd FloatErf<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var a = TSimd.Abs(x);
        var z = x * x;
        var q = Step(Step(Step(Step(Step(Step(Step(VectorMath.Constant<T, TSimd>(-9.763083282042376e-06), z, 0.00011293213122501528), z, -0.0008486775828371144),
            z, 0.005221127621960479), z, -0.02686542560272849), z, 0.1128378157620773), z, -0.37612638340533844), z, 0.1283791670384756);
        var small = TSimd.FusedMultiplyAdd(x, q, x);
        var t = TSimd.MinNative(a, VectorMath.Constant<T, TSimd>(4.0));
        var r = Step(Step(Step(Step(Step(Step(Step(Step(Step(Step(Step(VectorMath.Constant<T, TSimd>(2.9302066995029463e-08), t, -8.41394640349602e-07), t, 1.0716734002977346e-05),
            t, -7.821406480800278e-05), t, 0.0003403330890495255), t, -0.0006770437335284329), t, -0.001842146867835188), t, 0.021782030672167163),
            t, -0.10506252037934559), t, -0.6353414217073357), t, -1.12879720025529), t, 6.076837773442564e-05);
        var large = TSimd.One - VectorMath.Exp<T, TSimd>(r);
        var result = TSimd.ConditionalSelect(TSimd.LessThan(a, TSimd.One), small, TSimd.CopySign(large, x));
        return TSimd.ConditionalSelect(TSimd.IsNaN(x), x, result);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TSimd Step(TSimd sum, TSimd variable, double coefficient) => TSimd.FusedMultiplyAdd(sum, variable, VectorMath.Constant<T, TSimd>(coefficient));
    }

    /// <summary>
    /// |x| with the low bits of its significand cleared, so that its square is exact: the upper 32 bits of a double
    /// (21 significand bits), the upper 19 of a float (11 significand bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd Cut<T, TSimd>(TSimd a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> =>
        a & TSimd.Create(typeof(T) == typeof(double) ? Unsafe.BitCast<ulong, T>(0xFFFFFFFF00000000UL) : Unsafe.BitCast<uint, T>(0xFFFFE000U));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd Horner<T, TSimd>(T[] coefficients, TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var sum = TSimd.Create(coefficients[^1]);
        for (int i = coefficients.Length - 2; i >= 0; i--)
        {
            sum = sum * x + TSimd.Create(coefficients[i]);
        }
        return sum;
    }

    /// <summary>A polynomial whose coefficients each lane takes from <paramref name="whenTrue"/> or <paramref name="whenFalse"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd Horner<T, TSimd>(T[] whenTrue, T[] whenFalse, TSimd mask, TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var sum = TSimd.ConditionalSelect(mask, TSimd.Create(whenTrue[^1]), TSimd.Create(whenFalse[^1]));
        for (int i = whenTrue.Length - 2; i >= 0; i--)
        {
            sum = sum * x + TSimd.ConditionalSelect(mask, TSimd.Create(whenTrue[i]), TSimd.Create(whenFalse[i]));
        }
        return sum;
    }

    /// <summary>The coefficient sets rounded once to <typeparamref name="T"/>, so the loops above do not convert them per step.</summary>
    private static class Coefficients<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly T[] Pp = Rounded(ErrorFunction.Pp);
        public static readonly T[] Qq = Rounded(ErrorFunction.Qq);
        public static readonly T[] Pa = Rounded(ErrorFunction.Pa);
        public static readonly T[] Qa = Rounded(ErrorFunction.Qa);
        public static readonly T[] Ra = Rounded(ErrorFunction.Ra);
        public static readonly T[] Sa = Rounded(ErrorFunction.Sa);
        public static readonly T[] Rb = Rounded(ErrorFunction.Rb);
        public static readonly T[] Sb = Rounded(ErrorFunction.Sb);

        private static T[] Rounded(double[] values) => Array.ConvertAll(values, T.CreateTruncating);
    }
}
