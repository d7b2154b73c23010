using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// Vector lanes that carry a tangent beside each value (dual numbers, forward mode): a rule evaluated with it gives its
/// value and that value's directional derivative in one pass. The values round exactly as <see cref="Lanes{T, TSimd}"/>'s.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TSimd">The register width (<see cref="ISimd{TSelf, T}"/>).</typeparam>
internal readonly struct DualLanes<T, TSimd>(TSimd value, TSimd tangent) : IElementValue<DualLanes<T, TSimd>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TSimd : struct, ISimd<TSimd, T>
{
    /// <summary>The values.</summary>
    public TSimd Value { get; } = value;

    /// <summary>Their tangents.</summary>
    public TSimd Tangent { get; } = tangent;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Constant(double value) => new(TSimd.Create(T.CreateTruncating(value)), TSimd.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> operator +(DualLanes<T, TSimd> left, DualLanes<T, TSimd> right) => new(left.Value + right.Value, left.Tangent + right.Tangent);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> operator -(DualLanes<T, TSimd> left, DualLanes<T, TSimd> right) => new(left.Value - right.Value, left.Tangent - right.Tangent);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> operator *(DualLanes<T, TSimd> left, DualLanes<T, TSimd> right) =>
        new(left.Value * right.Value, left.Tangent * right.Value + left.Value * right.Tangent);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> operator /(DualLanes<T, TSimd> left, DualLanes<T, TSimd> right)
    {
        var quotient = left.Value / right.Value;
        return new(quotient, (left.Tangent - quotient * right.Tangent) / right.Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> operator -(DualLanes<T, TSimd> value) => new(-value.Value, -value.Tangent);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Exp(DualLanes<T, TSimd> x)
    {
        var e = VectorMath.Exp<T, TSimd>(x.Value);
        return new(e, x.Tangent * e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Sigmoid(DualLanes<T, TSimd> x)
    {
        var s = VectorMath.Sigmoid<T, TSimd>(x.Value);
        return new(s, x.Tangent * (s * (TSimd.One - s)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Tanh(DualLanes<T, TSimd> x)
    {
        var y = VectorMath.Tanh<T, TSimd>(x.Value);
        return new(y, x.Tangent * (TSimd.One - y * y));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Erf(DualLanes<T, TSimd> x) =>
        new(ErrorFunction.Erf<T, TSimd>(x.Value), x.Tangent * TSimd.Create(T.CreateTruncating(1.1283791670955126)) * VectorMath.Exp<T, TSimd>(-(x.Value * x.Value)));

    /// <summary>Φ(x), with tangent φ(x)·ẋ and φ(x) = e^(−x²/2)/√(2π).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> NormalCdf(DualLanes<T, TSimd> x) =>
        new(NormalDistribution.Cdf<T, TSimd>(x.Value), x.Tangent * TSimd.Create(T.CreateTruncating(0.3989422804014327)) * VectorMath.Exp<T, TSimd>(x.Value * x.Value * TSimd.Create(T.CreateTruncating(-0.5))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Sin(DualLanes<T, TSimd> x) => new(TSimd.FrameworkSin(x.Value), x.Tangent * TSimd.FrameworkCos(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Cos(DualLanes<T, TSimd> x) => new(TSimd.FrameworkCos(x.Value), -(x.Tangent * TSimd.FrameworkSin(x.Value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Sqrt(DualLanes<T, TSimd> x)
    {
        var root = TSimd.Sqrt(x.Value);
        return new(root, x.Tangent / (root + root));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Log1p(DualLanes<T, TSimd> x) => new(VectorMath.Log1p<T, TSimd>(x.Value), x.Tangent / (TSimd.One + x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Expm1(DualLanes<T, TSimd> x)
    {
        var value = VectorMath.Expm1<T, TSimd>(x.Value);
        return new(value, x.Tangent * (value + TSimd.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> GreaterThan(DualLanes<T, TSimd> left, DualLanes<T, TSimd> right) => new(TSimd.GreaterThan(left.Value, right.Value), TSimd.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> LessThan(DualLanes<T, TSimd> left, DualLanes<T, TSimd> right) => new(TSimd.LessThan(left.Value, right.Value), TSimd.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> And(DualLanes<T, TSimd> left, DualLanes<T, TSimd> right) => new(left.Value & right.Value, TSimd.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DualLanes<T, TSimd> Select(DualLanes<T, TSimd> mask, DualLanes<T, TSimd> whenTrue, DualLanes<T, TSimd> whenFalse) => new(
        TSimd.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value),
        TSimd.ConditionalSelect(mask.Value, whenTrue.Tangent, whenFalse.Tangent));
}
