using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels.Simd;

/// <summary>A 512-bit register (<see cref="Vector512{T}"/>): the width used where AVX-512 runs it natively.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct Simd512<T>(Vector512<T> value) : ISimd<Simd512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The lanes.</summary>
    public Vector512<T> Value { get; } = value;

    public static int Count => Vector512<T>.Count;

    public static Simd512<T> Zero => new(Vector512<T>.Zero);

    public static Simd512<T> One => new(Vector512<T>.One);

    public static Simd512<T> Indices => new(Vector512<T>.Indices);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Create(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Load(ref T source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd512<T> value, ref T destination, nuint index) => value.Value.StoreUnsafe(ref destination, index);

    /// <remarks>A masked load, which reads nothing past the span (where AVX-512 is there, else <see cref="PaddedLoad"/>).</remarks>
    public static unsafe Simd512<T> LoadPartial(ReadOnlySpan<T> values)
    {
        if (!Avx512F.IsSupported)
        {
            return PaddedLoad.Of<T, Simd512<T>>(values);
        }
        fixed (T* start = values)
        {
            return new(typeof(T) == typeof(float)
                ? Avx512F.MaskLoad((float*)start, Mask(values.Length).AsSingle(), Vector512<float>.Zero).As<float, T>()
                : Avx512F.MaskLoad((double*)start, WideMask(values.Length).AsDouble(), Vector512<double>.Zero).As<double, T>());
        }
    }

    /// <remarks>A masked store (where AVX-512 is there, else <see cref="PaddedLoad.Store"/>).</remarks>
    public static unsafe void StorePartial(Simd512<T> value, Span<T> destination)
    {
        if (!Avx512F.IsSupported)
        {
            PaddedLoad.Store(value, destination);
            return;
        }
        fixed (T* start = destination)
        {
            if (typeof(T) == typeof(float))
            {
                Avx512F.MaskStore((float*)start, Mask(destination.Length).AsSingle(), value.Value.As<T, float>());
            }
            else
            {
                Avx512F.MaskStore((double*)start, WideMask(destination.Length).AsDouble(), value.Value.As<T, double>());
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreAlignedNonTemporal(Simd512<T> value, T* destination) => value.Value.StoreAlignedNonTemporal(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator +(Simd512<T> x, Simd512<T> y) => new(x.Value + y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator -(Simd512<T> x, Simd512<T> y) => new(x.Value - y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator *(Simd512<T> x, Simd512<T> y) => new(x.Value * y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator /(Simd512<T> x, Simd512<T> y) => new(x.Value / y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator -(Simd512<T> x) => new(-x.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator &(Simd512<T> x, Simd512<T> y) => new(x.Value & y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator |(Simd512<T> x, Simd512<T> y) => new(x.Value | y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> FusedMultiplyAdd(Simd512<T> a, Simd512<T> b, Simd512<T> c) =>
        new(typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(a.Value.As<T, float>(), b.Value.As<T, float>(), c.Value.As<T, float>()).As<float, T>()
            : Vector512.FusedMultiplyAdd(a.Value.As<T, double>(), b.Value.As<T, double>(), c.Value.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Abs(Simd512<T> x) => new(Vector512.Abs(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Sqrt(Simd512<T> x) => new(Vector512.Sqrt(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Round(Simd512<T> x) =>
        new(typeof(T) == typeof(float) ? Vector512.Round(x.Value.As<T, float>()).As<float, T>() : Vector512.Round(x.Value.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> CopySign(Simd512<T> x, Simd512<T> sign) => new(Vector512.CopySign(x.Value, sign.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> MinNative(Simd512<T> x, Simd512<T> y) => new(Vector512.MinNative(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> MaxNative(Simd512<T> x, Simd512<T> y) => new(Vector512.MaxNative(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Max(Simd512<T> x, Simd512<T> y) => new(Vector512.Max(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Equals(Simd512<T> x, Simd512<T> y) => new(Vector512.Equals(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> LessThan(Simd512<T> x, Simd512<T> y) => new(Vector512.LessThan(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> GreaterThan(Simd512<T> x, Simd512<T> y) => new(Vector512.GreaterThan(x.Value, y.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> IsNaN(Simd512<T> x) => new(Vector512.IsNaN(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> ConditionalSelect(Simd512<T> mask, Simd512<T> whenTrue, Simd512<T> whenFalse) =>
        new(Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllMagnitudesAtMost(Simd512<T> x, Simd512<T> bound) => Vector512.LessThanOrEqualAll(Vector512.Abs(x.Value), bound.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Simd512<T> x) => Vector512.Sum(x.Value);

    /// <remarks>VSCALEFPS with AVX-512; otherwise one native conversion of n, a shift into the exponent field and an
    /// integer addition.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> AddToExponent(Simd512<T> p, Simd512<T> n) =>
        Avx512F.IsSupported
            ? new(Avx512F.Scale(p.Value.As<T, float>(), n.Value.As<T, float>()).As<float, T>())
            : new((p.Value.As<T, int>() + Vector512.ShiftLeft(Vector512.ConvertToInt32Native(n.Value.As<T, float>()), 23)).As<int, T>());

    /// <remarks>VSCALEFPS with AVX-512; otherwise p·2^⌊n/2⌋ (exact: both factors and the product are normal) times
    /// 2^(n − ⌊n/2⌋), the one rounding, with n converted natively as in <see cref="Simd256{T}.ScaleByPowerOfTwo"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> ScaleByPowerOfTwo(Simd512<T> p, Simd512<T> n)
    {
        var (mantissa, exponent) = (p.Value.As<T, float>(), n.Value.As<T, float>());
        if (Avx512F.IsSupported)
        {
            return new(Avx512F.Scale(mantissa, exponent).As<float, T>());
        }
        var whole = Vector512.ConvertToInt32Native(exponent);
        var half = Vector512.ShiftRightArithmetic(whole, 1);
        return new((mantissa * PowerOfTwo(half) * PowerOfTwo(whole - half)).As<float, T>());
    }

    /// <remarks>
    /// The framework's functions run on each 256-bit half (<see cref="Simd256{T}"/>): with AVX-512, .NET's 512-bit
    /// versions round some arguments differently from its 256-bit ones (e^30 and cos(−10.196…) in double, cos(0.84375)
    /// in float), and a result must not depend on the machine's register width.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Simd512<T> FrameworkExp(Simd512<T> x) => new(Vector512.Create(Simd256<T>.FrameworkExp(Lower(x)).Value, Simd256<T>.FrameworkExp(Upper(x)).Value));

    /// <remarks>Half by half, as <see cref="FrameworkExp"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Simd512<T> FrameworkLog(Simd512<T> x) => new(Vector512.Create(Simd256<T>.FrameworkLog(Lower(x)).Value, Simd256<T>.FrameworkLog(Upper(x)).Value));

    /// <remarks>Half by half, as <see cref="FrameworkExp"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Simd512<T> FrameworkSin(Simd512<T> x) => new(Vector512.Create(Simd256<T>.FrameworkSin(Lower(x)).Value, Simd256<T>.FrameworkSin(Upper(x)).Value));

    /// <remarks>Half by half, as <see cref="FrameworkExp"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Simd512<T> FrameworkCos(Simd512<T> x) => new(Vector512.Create(Simd256<T>.FrameworkCos(Lower(x)).Value, Simd256<T>.FrameworkCos(Upper(x)).Value));

    private static Simd256<T> Lower(Simd512<T> x) => new(x.Value.GetLower());

    private static Simd256<T> Upper(Simd512<T> x) => new(x.Value.GetUpper());

    /// <summary>2ᵉ for e in the normal exponent range [−126, 127], built in the exponent field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PowerOfTwo(Vector512<int> e) => Vector512.ShiftLeft(e + Vector512.Create(127), 23).AsSingle();

    /// <summary>All ones in the first <paramref name="count"/> of sixteen 32-bit lanes.</summary>
    private static Vector512<int> Mask(int count) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count));

    /// <summary>All ones in the first <paramref name="count"/> of eight 64-bit lanes.</summary>
    private static Vector512<long> WideMask(int count) => Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count));
}
