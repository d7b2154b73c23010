using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TinyAutograd.Kernels.Elementwise;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels;

/// <summary>
/// The exponential and what is built on it (sigmoid, a shifted and scaled exponential, a sum of exponentials), over
/// spans. Float takes a single-precision path of its own (<see cref="SingleExp{T, TSimd}"/>, within one ulp) on
/// every instruction set; double uses the framework's vector exponential for exp and sigmoid and TensorPrimitives for
/// the others.
/// </summary>
/// <remarks>
/// TensorPrimitives evaluates the float exponential in double and rounds back (up to 2 ulps off here): slower than a
/// single-precision evaluation within 1 ulp. Exp and sigmoid dominate the elementwise forward passes that use them.
/// </remarks>
internal static class ExponentialKernels
{
    /// <summary>destination = eˣ, through <see cref="VectorMath.Exp{T, TSimd}"/> (the kernel the Exp op derives from its rule).</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        VectorLoops.Map(x, destination, default(ExpLanes<T>));

    /// <summary>destination = σ(x) = 1 / (1 + e⁻ˣ), through <see cref="VectorMath.Sigmoid{T, TSimd}"/>.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        VectorLoops.Map(x, destination, default(SigmoidLanes<T>));

    /// <summary>destination = scale·e^((x − shift) − low): a shift given as a rounded value and the part rounding lost
    /// (<see cref="FusedKernels.AddExactly{T}"/>); with low = 0 the second subtraction changes nothing.</summary>
    public static void ScaledShiftedExp<T>(ReadOnlySpan<T> x, T shift, T low, T scale, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            VectorLoops.Map(Floats(x), Floats(destination), new ScaledShiftedExpOperation(float.CreateTruncating(shift), float.CreateTruncating(low), float.CreateTruncating(scale)));
        }
        else
        {
            TensorPrimitives.Subtract(x, shift, destination);
            if (low != T.Zero)
            {
                TensorPrimitives.Subtract(destination, low, destination);
            }
            TensorPrimitives.Exp(destination, destination);
            TensorPrimitives.Multiply(destination, scale, destination);
        }
    }

    /// <summary>Σᵢ e^(xᵢ − shift), using <paramref name="scratch"/> (of x's length) only where no fused path exists.</summary>
    public static T SumOfShiftedExp<T>(ReadOnlySpan<T> x, T shift, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return T.CreateTruncating(SumOfShiftedExp(Floats(x), float.CreateTruncating(shift)));
        }
        TensorPrimitives.Subtract(x, shift, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        return TensorPrimitives.Sum<T>(scratch);
    }

    /// <summary>
    /// A softmax row over the first <paramref name="count"/> entries: destination[j] = e^((x[j] − shift)·scale) / Σ of
    /// those for j &lt; count, each difference, product and quotient rounded as written, the exponentials through
    /// <see cref="VectorMath.Exp{T, TSimd}"/>, and destination[j] = 0 from count on. x and destination have the same
    /// length (the row's, count at most that) and may be the same span; shift is the largest of the first count entries
    /// (or any bound on it), so nothing overflows. One call per row, two passes: the exponentials and their sum, then the
    /// division.
    /// </summary>
    /// <remarks>
    /// The entries after the last whole vector go as one more vector (<see cref="PrefixTail{T, TSimd}"/>): attention's
    /// rows mostly end inside a vector, and their scalar tails and padded copies took as long as the exponentials.
    /// </remarks>
    public static void Softmax<T>(ReadOnlySpan<T> x, int count, T shift, T scale, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Softmax<T, Simd512<T>>(x, count, shift, scale, destination);
        }
        else
        {
            Softmax<T, Simd256<T>>(x, count, shift, scale, destination);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Softmax<T, TSimd>(ReadOnlySpan<T> x, int count, T shift, T scale, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        if (destination.Length != x.Length)
        {
            throw new ArgumentException($"Softmax row: a row of {x.Length} entries into one of {destination.Length}.", nameof(destination));
        }
        var (offset, factor, total) = (TSimd.Create(shift), TSimd.Create(scale), TSimd.Zero);
        ref T source = ref MemoryMarshal.GetReference(x);
        ref T target = ref MemoryMarshal.GetReference(destination);
        var tail = new PrefixTail<T, TSimd>(count, x.Length);
        var (tailInput, tailExp) = (tail.Any ? tail.Load(x) : TSimd.Zero, TSimd.Zero);
        // One exponential in the loop body (the tail as its last turn): with two, the JIT inlined neither.
        for (int i = 0; i < count; i += TSimd.Count)
        {
            var e = VectorMath.Exp<T, TSimd>(((i < tail.Whole ? TSimd.Load(ref source, (nuint)i) : tailInput) - offset) * factor);
            if (i < tail.Whole)
            {
                TSimd.Store(e, ref target, (nuint)i);
                total += e;
            }
            else
            {
                tailExp = e;
                total += e & tail.Kept;
            }
        }
        var divisor = TSimd.Create(TSimd.Sum(total));
        for (int i = 0; i < tail.Whole; i += TSimd.Count)
        {
            TSimd.Store(TSimd.Load(ref target, (nuint)i) / divisor, ref target, (nuint)i);
        }
        tail.StoreAndClearRest(tailExp / divisor, destination);
    }

    /// <summary>
    /// eˣ in single precision (T is float), within one ulp, at any register width: x = n·ln 2 + r with
    /// n = round(x/ln 2) and |r| ≤ ln 2 / 2 (Cody–Waite: ln 2 split in a 16-bit head, exact in n·head, and a tail),
    /// e^r = 1 + r + r²·P(r) with P Cephes' degree-5 minimax polynomial, and the result scaled by 2ⁿ. When every lane
    /// has |x| ≤ 86, |n| ≤ 125 and every result is a normal number: n goes straight into the exponent field
    /// (<see cref="ISimd{TSelf, T}.AddToExponent"/>), exactly. Otherwise x is first clamped to [−104, 89], beyond which
    /// the result is 0 or +∞ anyway (the clamp lets NaN through, and NaN stays NaN), and the scaling rounds once
    /// (<see cref="ISimd{TSelf, T}.ScaleByPowerOfTwo"/>), overflowing to +∞ and rounding gradually to subnormals and 0.
    /// Both ways give the same bits where both apply, and every step is exact or rounded once in the same order on
    /// every instruction set, so the bits do not depend on the machine.
    /// </summary>
    /// <remarks>The common case skips the clamp and the two-step scaling: exp over 1M floats 0.67 → 0.42 ms on a Zen 3
    /// EPYC, whose floating-point scheduler fills up on the long dependency chain before its units do.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TSimd SingleExp<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        if (TSimd.AllMagnitudesAtMost(x, Single<T, TSimd>(86f)))
        {
            var whole = TSimd.Round(x * Single<T, TSimd>(1.44269504088896341f));
            return TSimd.AddToExponent(ReducedExp<T, TSimd>(x, whole), whole);
        }
        var clamped = ClampExponent<T, TSimd>(x);
        var n = TSimd.Round(clamped * Single<T, TSimd>(1.44269504088896341f));
        return TSimd.ScaleByPowerOfTwo(ReducedExp<T, TSimd>(clamped, n), n);
    }

    /// <summary>
    /// e^r for r = x − n·ln 2 (Cody–Waite, as in <see cref="SingleExp{T, TSimd}"/>): 1 + r + r²·P(r), with
    /// P(r) = p₀ + p₁r + … + p₅r⁵ evaluated by Estrin's scheme, (p₀ + p₁r) + r²·((p₂ + p₃r) + r²·(p₄ + p₅r)).
    /// </summary>
    /// <remarks>Horner's rule, five multiply-adds each waiting on the last, made the longest chain of the exponential;
    /// Estrin's three independent pairs and two steps in r² shorten it by two multiply-adds and a multiplication, at
    /// the same count of operations. On a Zen 3 EPYC, whose floating-point scheduler fills up on the chain before its
    /// units do, σ(x)·x + e⁻ˣ over 1M floats ran 5% faster forward (paired, one thread). Still within one ulp: over
    /// 134M arguments across [−88.7, 88.7], 8.3% of results one ulp off, none more, as with Horner's rule.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd ReducedExp<T, TSimd>(TSimd x, TSimd n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var r = TSimd.FusedMultiplyAdd(n, Single<T, TSimd>(-0.693145751953125f), x);
        r = TSimd.FusedMultiplyAdd(n, Single<T, TSimd>(-1.428606820309417232e-6f), r);
        var r2 = r * r;
        var low = TSimd.FusedMultiplyAdd(Single<T, TSimd>(1.6666665459e-1f), r, Single<T, TSimd>(5.0000001201e-1f));
        var middle = TSimd.FusedMultiplyAdd(Single<T, TSimd>(8.3334519073e-3f), r, Single<T, TSimd>(4.1665795894e-2f));
        var high = TSimd.FusedMultiplyAdd(Single<T, TSimd>(1.9875691500e-4f), r, Single<T, TSimd>(1.3981999507e-3f));
        var p = TSimd.FusedMultiplyAdd(TSimd.FusedMultiplyAdd(high, r2, middle), r2, low);
        return TSimd.FusedMultiplyAdd(p, r2, r) + TSimd.One;
    }

    /// <summary>min(89, max(−104, x)) with the operand order of MINPS/MAXPS, which return their second operand when
    /// either is NaN: a NaN x comes out as itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd ClampExponent<T, TSimd>(TSimd x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> =>
        TSimd.MinNative(Single<T, TSimd>(89f), TSimd.MaxNative(Single<T, TSimd>(-104f), x));

    /// <summary>Every lane the float <paramref name="value"/> (T is float on this path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TSimd Single<T, TSimd>(float value)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> => TSimd.Create(T.CreateTruncating(value));

    /// <summary>Σ e^(xᵢ − shift) in float: the whole registers, then the last partial one (<see cref="PrefixTail{T, TSimd}"/>,
    /// its lanes past the end left out) as the loop's last turn, so the exponential is inlined at one call site.</summary>
    /// <remarks>With a second running sum and a separate tail, the kernel had four call sites and the JIT stopped
    /// inlining it after the first: each register went through calls, and a 65-class log-sum-exp over 2048 rows took
    /// 0.35 ms. The tail went through a copy padded with −∞, whose exponentials (0) took the clamping path.</remarks>
    private static float SumOfShiftedExp(ReadOnlySpan<float> x, float shift) =>
        Vector512.IsHardwareAccelerated ? SumOfShiftedExp<Simd512<float>>(x, shift) : SumOfShiftedExp<Simd256<float>>(x, shift);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumOfShiftedExp<TSimd>(ReadOnlySpan<float> x, float shift)
        where TSimd : struct, ISimd<TSimd, float>
    {
        var (offset, total) = (TSimd.Create(shift), TSimd.Zero);
        var tail = new PrefixTail<float, TSimd>(x.Length, x.Length);
        var tailInput = tail.Any ? tail.Load(x) : TSimd.Zero;
        ref float source = ref MemoryMarshal.GetReference(x);
        for (int i = 0; i < x.Length; i += TSimd.Count)
        {
            var e = SingleExp<float, TSimd>((i < tail.Whole ? TSimd.Load(ref source, (nuint)i) : tailInput) - offset);
            total += i < tail.Whole ? e : e & tail.Kept;
        }
        return TSimd.Sum(total);
    }

    private static ReadOnlySpan<float> Floats<T>(ReadOnlySpan<T> span)
        where T : unmanaged => MemoryMarshal.Cast<T, float>(span);

    private static Span<float> Floats<T>(Span<T> span)
        where T : unmanaged => MemoryMarshal.Cast<T, float>(span);

    private readonly struct ExpLanes<T> : IVectorMap<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TSimd Apply<TSimd>(TSimd x)
            where TSimd : struct, ISimd<TSimd, T> => VectorMath.Exp<T, TSimd>(x);
    }

    private readonly struct SigmoidLanes<T> : IVectorMap<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TSimd Apply<TSimd>(TSimd x)
            where TSimd : struct, ISimd<TSimd, T> => VectorMath.Sigmoid<T, TSimd>(x);
    }

    private readonly struct ScaledShiftedExpOperation(float shift, float low, float scale) : IVectorMap<float>
    {
        public TSimd Apply<TSimd>(TSimd x)
            where TSimd : struct, ISimd<TSimd, float> => SingleExp<float, TSimd>(x - TSimd.Create(shift) - TSimd.Create(low)) * TSimd.Create(scale);
    }
}
