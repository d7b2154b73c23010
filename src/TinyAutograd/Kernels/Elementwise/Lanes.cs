using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// A SIMD register of elements as an <see cref="IElementValue{TSelf}"/>: an elementwise rule instantiated with it is the
/// SIMD kernel. Every operation is lane-wise and rounds each lane as the scalar IEEE operation does; masks are the
/// all-ones lanes of comparisons.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TSimd">The register width (<see cref="ISimd{TSelf, T}"/>).</typeparam>
internal readonly struct Lanes<T, TSimd>(TSimd value) : IElementValue<Lanes<T, TSimd>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TSimd : struct, ISimd<TSimd, T>
{
    /// <summary>The lanes.</summary>
    public TSimd Value { get; } = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Constant(double value) => new(TSimd.Create(T.CreateTruncating(value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> operator +(Lanes<T, TSimd> left, Lanes<T, TSimd> right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> operator -(Lanes<T, TSimd> left, Lanes<T, TSimd> right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> operator *(Lanes<T, TSimd> left, Lanes<T, TSimd> right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> operator /(Lanes<T, TSimd> left, Lanes<T, TSimd> right) => new(left.Value / right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> operator -(Lanes<T, TSimd> value) => new(-value.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Exp(Lanes<T, TSimd> x) => new(VectorMath.Exp<T, TSimd>(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Sigmoid(Lanes<T, TSimd> x) => new(VectorMath.Sigmoid<T, TSimd>(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Tanh(Lanes<T, TSimd> x) => new(VectorMath.Tanh<T, TSimd>(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Erf(Lanes<T, TSimd> x) => new(ErrorFunction.Erf<T, TSimd>(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> NormalCdf(Lanes<T, TSimd> x) => new(NormalDistribution.Cdf<T, TSimd>(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> NormalCdf(Lanes<T, TSimd> x, out Lanes<T, TSimd> density)
    {
        var cdf = NormalDistribution.CdfAndDensity<T, TSimd>(x.Value, out var lanes);
        density = new(lanes);
        return new(cdf);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Sin(Lanes<T, TSimd> x) => new(TSimd.FrameworkSin(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Cos(Lanes<T, TSimd> x) => new(TSimd.FrameworkCos(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Sqrt(Lanes<T, TSimd> x) => new(TSimd.Sqrt(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Log1p(Lanes<T, TSimd> x) => new(VectorMath.Log1p<T, TSimd>(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Expm1(Lanes<T, TSimd> x) => new(VectorMath.Expm1<T, TSimd>(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> GreaterThan(Lanes<T, TSimd> left, Lanes<T, TSimd> right) => new(TSimd.GreaterThan(left.Value, right.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> LessThan(Lanes<T, TSimd> left, Lanes<T, TSimd> right) => new(TSimd.LessThan(left.Value, right.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> And(Lanes<T, TSimd> left, Lanes<T, TSimd> right) => new(left.Value & right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T, TSimd> Select(Lanes<T, TSimd> mask, Lanes<T, TSimd> whenTrue, Lanes<T, TSimd> whenFalse) =>
        new(TSimd.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
}
