using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels.Simd;

/// <summary>A 256-bit register (<see cref="Vector256{T}"/>): the width used where 512-bit vectors are not executed natively.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct Simd256<T>(Vector256<T> value) : ISimd<Simd256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The lanes.</summary>
    public Vector256<T> Value { get; } = value;

    public static int Count => Vector256<T>.Count;

    public static Simd256<T> Zero => new(Vector256<T>.Zero);

    public static Simd256<T> One => new(Vector256<T>.One);

    public static Simd256<T> Indices => new(Vector256<T>.Indices);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Create(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Load(ref T source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd256<T> value, ref T destination, nuint index) => value.Value.StoreUnsafe(ref destination, index);

    /// <remarks>With AVX, a masked load, which reads nothing past the span and does not wait on the stores of a padded
    /// copy (a wide load of narrower stores cannot be forwarded from them); otherwise <see cref="PaddedLoad"/>.</remarks>
    public static unsafe Simd256<T> LoadPartial(ReadOnlySpan<T> values)
    {
        if (Avx.IsSupported)
        {
            fixed (T* start = values)
            {
                return new(typeof(T) == typeof(float)
                    ? Avx.MaskLoad((float*)start, Mask(values.Length).AsSingle()).As<float, T>()
                    : Avx.MaskLoad((double*)start, WideMask(values.Length).AsDouble()).As<double, T>());
            }
        }
        return PaddedLoad.Of<T, Simd256<T>>(values);
    }

    /// <remarks>
    /// With AVX-512VL, the mask-register store (vmovups under a k mask); else with AVX, the vector-masked store
    /// (vmaskmovps), which on AMD's Zen 4 is several times slower: 2×2 pooling of [128, 64, 14, 14] floats, whose rows of
    /// 7 windows each end in a masked store, 0.66–1.1 ms against 0.50 ms (one process, the two alternated); otherwise
    /// through a copy (<see cref="PaddedLoad.Store"/>).
    /// </remarks>
    public static unsafe void StorePartial(Simd256<T> value, Span<T> destination)
    {
        if (Avx.IsSupported)
        {
            fixed (T* start = destination)
            {
                // A double's mask lane is two float lanes with the same sign bit, so the float store writes the same bytes.
                var mask = typeof(T) == typeof(float) ? Mask(destination.Length).AsSingle() : WideMask(destination.Length).AsSingle();
                MaskStore((float*)start, mask, value.Value.AsSingle());
            }
            return;
        }
        PaddedLoad.Store(value, destination);
    }

    /// <summary>The lanes of <paramref name="lanes"/> whose mask lane is set, into <paramref name="destination"/> (see <see cref="StorePartial"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MaskStore(float* destination, Vector256<float> mask, Vector256<float> lanes)
    {
        if (Avx512F.VL.IsSupported)
        {
            Avx512F.VL.MaskStore(destination, mask, lanes);
        }
        else
        {
            Avx.MaskStore(destination, mask, lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreAlignedNonTemporal(Simd256<T> value, T* destination) => value.Value.StoreAlignedNonTemporal(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator +(Simd256<T> x, Simd256<T> y) => new(x.Value + y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator -(Simd256<T> x, Simd256<T> y) => new(x.Value - y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator *(Simd256<T> x, Simd256<T> y) => new(x.Value * y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator /(Simd256<T> x, Simd256<T> y) => new(x.Value / y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator -(Simd256<T> x) => new(-x.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator &(Simd256<T> x, Simd256<T> y) => new(x.Value & y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator |(Simd256<T> x, Simd256<T> y) => new(x.Value | y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> FusedMultiplyAdd(Simd256<T> a, Simd256<T> b, Simd256<T> c) =>
        new(typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(a.Value.As<T, float>(), b.Value.As<T, float>(), c.Value.As<T, float>()).As<float, T>()
            : Vector256.FusedMultiplyAdd(a.Value.As<T, double>(), b.Value.As<T, double>(), c.Value.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Abs(Simd256<T> x) => new(Vector256.Abs(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Sqrt(Simd256<T> x) => new(Vector256.Sqrt(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Round(Simd256<T> x) =>
        new(typeof(T) == typeof(float) ? Vector256.Round(x.Value.As<T, float>()).As<float, T>() : Vector256.Round(x.Value.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> CopySign(Simd256<T> x, Simd256<T> sign) => new(Vector256.CopySign(x.Value, sign.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> MinNative(Simd256<T> x, Simd256<T> y) => new(Vector256.MinNative(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> MaxNative(Simd256<T> x, Simd256<T> y) => new(Vector256.MaxNative(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Max(Simd256<T> x, Simd256<T> y) => new(Vector256.Max(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Equals(Simd256<T> x, Simd256<T> y) => new(Vector256.Equals(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> LessThan(Simd256<T> x, Simd256<T> y) => new(Vector256.LessThan(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> GreaterThan(Simd256<T> x, Simd256<T> y) => new(Vector256.GreaterThan(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> IsNaN(Simd256<T> x) => new(Vector256.IsNaN(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> ConditionalSelect(Simd256<T> mask, Simd256<T> whenTrue, Simd256<T> whenFalse) =>
        new(Vector256.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllMagnitudesAtMost(Simd256<T> x, Simd256<T> bound) => Vector256.LessThanOrEqualAll(Vector256.Abs(x.Value), bound.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Simd256<T> x) => Vector256.Sum(x.Value);

    /// <remarks>One native conversion of n (exact: n is integral and small), a shift into the exponent field and an
    /// integer addition.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> AddToExponent(Simd256<T> p, Simd256<T> n) =>
        new((p.Value.As<T, int>() + Vector256.ShiftLeft(Vector256.ConvertToInt32Native(n.Value.As<T, float>()), 23)).As<int, T>());

    /// <remarks>p·2^⌊n/2⌋ (exact: both factors and the product are normal) times 2^(n − ⌊n/2⌋), the one rounding. n is
    /// integral and in range, so the native conversion (one VCVTTPS2DQ) is exact: the saturating one spent four more
    /// instructions per register on NaN and overflow lanes that cannot occur, 16% of the exponential's time.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> ScaleByPowerOfTwo(Simd256<T> p, Simd256<T> n)
    {
        var whole = Vector256.ConvertToInt32Native(n.Value.As<T, float>());
        var half = Vector256.ShiftRightArithmetic(whole, 1);
        return new((p.Value.As<T, float>() * PowerOfTwo(half) * PowerOfTwo(whole - half)).As<float, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Simd256<T> FrameworkExp(Simd256<T> x) =>
        new(typeof(T) == typeof(float) ? Vector256.Exp(x.Value.As<T, float>()).As<float, T>() : Vector256.Exp(x.Value.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Simd256<T> FrameworkLog(Simd256<T> x) =>
        new(typeof(T) == typeof(float) ? Vector256.Log(x.Value.As<T, float>()).As<float, T>() : Vector256.Log(x.Value.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Simd256<T> FrameworkSin(Simd256<T> x) =>
        new(typeof(T) == typeof(float) ? Vector256.Sin(x.Value.As<T, float>()).As<float, T>() : Vector256.Sin(x.Value.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Simd256<T> FrameworkCos(Simd256<T> x) =>
        new(typeof(T) == typeof(float) ? Vector256.Cos(x.Value.As<T, float>()).As<float, T>() : Vector256.Cos(x.Value.As<T, double>()).As<double, T>());

    /// <summary>All ones in the first <paramref name="count"/> of eight 32-bit lanes.</summary>
    private static Vector256<int> Mask(int count) => Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count));

    /// <summary>All ones in the first <paramref name="count"/> of four 64-bit lanes.</summary>
    private static Vector256<long> WideMask(int count) => Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)count));

    /// <summary>2ᵉ for e in the normal exponent range [−126, 127], built in the exponent field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PowerOfTwo(Vector256<int> e) => Vector256.ShiftLeft(e + Vector256.Create(127), 23).AsSingle();
}
