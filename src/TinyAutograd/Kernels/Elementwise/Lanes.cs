using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// A 512-bit vector of elements as an <see cref="IElementValue{TSelf}"/>: an elementwise rule instantiated with it is the
/// SIMD kernel. Every operation is lane-wise and rounds each lane as the scalar IEEE operation does; masks are the
/// all-ones lanes of <see cref="Vector512"/> comparisons.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct Lanes<T>(Vector512<T> value) : IElementValue<Lanes<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The lanes.</summary>
    public Vector512<T> Value { get; } = value;

    public static Lanes<T> Constant(double value) => new(Vector512.Create(T.CreateTruncating(value)));

    public static Lanes<T> operator +(Lanes<T> left, Lanes<T> right) => new(left.Value + right.Value);

    public static Lanes<T> operator -(Lanes<T> left, Lanes<T> right) => new(left.Value - right.Value);

    public static Lanes<T> operator *(Lanes<T> left, Lanes<T> right) => new(left.Value * right.Value);

    public static Lanes<T> operator /(Lanes<T> left, Lanes<T> right) => new(left.Value / right.Value);

    public static Lanes<T> operator -(Lanes<T> value) => new(-value.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T> Exp(Lanes<T> x) => new(VectorMath.Exp(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes<T> Sigmoid(Lanes<T> x) => new(VectorMath.Sigmoid(x.Value));

    public static Lanes<T> Erf(Lanes<T> x) => new(VectorMath.Erf(x.Value));

    public static Lanes<T> Sin(Lanes<T> x) => new(VectorMath.Sin(x.Value));

    public static Lanes<T> Cos(Lanes<T> x) => new(VectorMath.Cos(x.Value));

    public static Lanes<T> Sqrt(Lanes<T> x) => new(Vector512.Sqrt(x.Value));

    public static Lanes<T> Log1p(Lanes<T> x) => new(VectorMath.Log1p(x.Value));

    public static Lanes<T> Expm1(Lanes<T> x) => new(VectorMath.Expm1(x.Value));

    public static Lanes<T> GreaterThan(Lanes<T> left, Lanes<T> right) => new(Vector512.GreaterThan(left.Value, right.Value));

    public static Lanes<T> LessThan(Lanes<T> left, Lanes<T> right) => new(Vector512.LessThan(left.Value, right.Value));

    public static Lanes<T> And(Lanes<T> left, Lanes<T> right) => new(left.Value & right.Value);

    public static Lanes<T> Select(Lanes<T> mask, Lanes<T> whenTrue, Lanes<T> whenFalse) =>
        new(Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
}
