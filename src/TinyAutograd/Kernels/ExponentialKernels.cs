using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd.Kernels;

/// <summary>
/// The exponential and what is built on it (sigmoid, a shifted and scaled exponential, a sum of exponentials), over
/// spans. Float takes a single-precision path of its own (<see cref="Exp(Vector512{float})"/>, within one ulp) on
/// every instruction set; double uses <see cref="Vector512.Exp(Vector512{double})"/> for exp and sigmoid and
/// TensorPrimitives for the others.
/// </summary>
/// <remarks>
/// TensorPrimitives evaluates the float exponential in double and rounds back (up to 2 ulps off here): slower than a
/// single-precision evaluation within 1 ulp. Exp and sigmoid dominate the elementwise forward passes that use them.
/// </remarks>
internal static class ExponentialKernels
{
    private const int Lanes = 16;

    /// <summary>destination = eˣ, through <see cref="VectorMath.Exp{T}"/> (the kernel the Exp op derives from its rule).</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        VectorLoops.Map(x, destination, default(ExpLanes<T>));

    /// <summary>destination = σ(x) = 1 / (1 + e⁻ˣ), through <see cref="VectorMath.Sigmoid{T}"/>.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        VectorLoops.Map(x, destination, default(SigmoidLanes<T>));

    /// <summary>destination = scale·e^(x − shift).</summary>
    public static void ScaledShiftedExp<T>(ReadOnlySpan<T> x, T shift, T scale, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            VectorLoops.Map(Floats(x), Floats(destination), new ScaledShiftedExpOperation(float.CreateTruncating(shift), float.CreateTruncating(scale)));
        }
        else
        {
            TensorPrimitives.Subtract(x, shift, destination);
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
    /// eˣ in single precision, within one ulp: x = n·ln 2 + r with n = round(x/ln 2) and |r| ≤ ln 2 / 2 (Cody–Waite:
    /// ln 2 split in a 16-bit head, exact in n·head, and a tail), e^r = 1 + r + r²·P(r) with P Cephes' degree-5
    /// minimax polynomial, and the result scaled by 2ⁿ with one rounding (<see cref="ScaleByPowerOfTwo"/>), which
    /// overflows to +∞ and rounds results below the normal range gradually to subnormals and 0. x is first clamped to
    /// [−104, 89], beyond which the result is 0 or +∞ anyway; the clamp lets NaN through, and NaN stays NaN. Every
    /// step is exact or rounded once in the same order on every instruction set, so the bits do not depend on the
    /// machine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        var clamped = ClampExponent(x);
        var n = Vector512.Round(clamped * Vector512.Create(1.44269504088896341f));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693145751953125f), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-1.428606820309417232e-6f), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1.9875691500e-4f), r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p * r, r, r) + Vector512<float>.One;
        return ScaleByPowerOfTwo(p, n);
    }

    /// <summary>min(89, max(−104, x)) with the operand order of MINPS/MAXPS, which return their second operand when
    /// either is NaN: a NaN x comes out as itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ClampExponent(Vector512<float> x) =>
        Avx512F.IsSupported
            ? Avx512F.Min(Vector512.Create(89f), Avx512F.Max(Vector512.Create(-104f), x))
            : Vector512.MinNative(Vector512.Create(89f), Vector512.MaxNative(Vector512.Create(-104f), x));

    /// <summary>
    /// p·2ⁿ for p in [½, 2] and integral n in [−150, 128], rounded once: VSCALEFPS on AVX-512; elsewhere p·2^⌊n/2⌋,
    /// which is exact because both factors and the product are normal, times 2^(n − ⌊n/2⌋), the one rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ScaleByPowerOfTwo(Vector512<float> p, Vector512<float> n)
    {
        if (Avx512F.IsSupported)
        {
            return Avx512F.Scale(p, n);
        }
        var whole = Vector512.ConvertToInt32(n);
        var half = Vector512.ShiftRightArithmetic(whole, 1);
        return p * PowerOfTwo(half) * PowerOfTwo(whole - half);
    }

    /// <summary>2ᵉ for e in the normal exponent range [−126, 127], built in the exponent field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PowerOfTwo(Vector512<int> e) =>
        Vector512.ShiftLeft(e + Vector512.Create(127), 23).AsSingle();

    private static float SumOfShiftedExp(ReadOnlySpan<float> x, float shift)
    {
        var offset = Vector512.Create(shift);
        var total = Vector512<float>.Zero;
        ref float source = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i <= x.Length - Lanes; i += Lanes)
        {
            total += Exp(Vector512.LoadUnsafe(ref source, (nuint)i) - offset);
        }
        if (i < x.Length)
        {
            Span<float> tail = stackalloc float[Lanes];
            tail.Fill(float.NegativeInfinity);
            x[i..].CopyTo(tail);
            total += Exp(Vector512.Create<float>(tail) - offset);
        }
        return Vector512.Sum(total);
    }

    private static ReadOnlySpan<float> Floats<T>(ReadOnlySpan<T> span)
        where T : unmanaged => MemoryMarshal.Cast<T, float>(span);

    private static Span<float> Floats<T>(Span<T> span)
        where T : unmanaged => MemoryMarshal.Cast<T, float>(span);

    private readonly struct ExpLanes<T> : IVectorMap<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector512<T> Apply(Vector512<T> x) => VectorMath.Exp(x);
    }

    private readonly struct SigmoidLanes<T> : IVectorMap<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector512<T> Apply(Vector512<T> x) => VectorMath.Sigmoid(x);
    }

    private readonly struct ScaledShiftedExpOperation(float shift, float scale) : IVectorMap<float>
    {
        public Vector512<float> Apply(Vector512<float> x) => Exp(x - Vector512.Create(shift)) * Vector512.Create(scale);
    }
}
