using System.Numerics;
using System.Runtime.Intrinsics;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// Vector lanes that carry a tangent beside each value (dual numbers, forward mode): a rule evaluated with it gives its
/// value and that value's directional derivative in one pass. The values round exactly as <see cref="Lanes{T}"/>'s.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct DualLanes<T>(Vector512<T> value, Vector512<T> tangent) : IElementValue<DualLanes<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The values.</summary>
    public Vector512<T> Value { get; } = value;

    /// <summary>Their tangents.</summary>
    public Vector512<T> Tangent { get; } = tangent;

    public static DualLanes<T> Constant(double value) => new(Lanes<T>.Constant(value).Value, default);

    public static DualLanes<T> operator +(DualLanes<T> left, DualLanes<T> right) => new(left.Value + right.Value, left.Tangent + right.Tangent);

    public static DualLanes<T> operator -(DualLanes<T> left, DualLanes<T> right) => new(left.Value - right.Value, left.Tangent - right.Tangent);

    public static DualLanes<T> operator *(DualLanes<T> left, DualLanes<T> right) =>
        new(left.Value * right.Value, left.Tangent * right.Value + left.Value * right.Tangent);

    public static DualLanes<T> operator /(DualLanes<T> left, DualLanes<T> right)
    {
        var quotient = left.Value / right.Value;
        return new(quotient, (left.Tangent - quotient * right.Tangent) / right.Value);
    }

    public static DualLanes<T> operator -(DualLanes<T> value) => new(-value.Value, -value.Tangent);

    public static DualLanes<T> Exp(DualLanes<T> x)
    {
        var e = VectorMath.Exp(x.Value);
        return new(e, x.Tangent * e);
    }

    public static DualLanes<T> Sigmoid(DualLanes<T> x)
    {
        var s = VectorMath.Sigmoid(x.Value);
        return new(s, x.Tangent * (s * (Vector512<T>.One - s)));
    }

    public static DualLanes<T> Erf(DualLanes<T> x) =>
        new(VectorMath.Erf(x.Value), x.Tangent * Vector512.Create(T.CreateTruncating(1.1283791670955126)) * VectorMath.Exp(-(x.Value * x.Value)));

    public static DualLanes<T> Sin(DualLanes<T> x) => new(VectorMath.Sin(x.Value), x.Tangent * VectorMath.Cos(x.Value));

    public static DualLanes<T> Cos(DualLanes<T> x) => new(VectorMath.Cos(x.Value), -(x.Tangent * VectorMath.Sin(x.Value)));

    public static DualLanes<T> Sqrt(DualLanes<T> x)
    {
        var root = Vector512.Sqrt(x.Value);
        return new(root, x.Tangent / (root + root));
    }

    public static DualLanes<T> Log1p(DualLanes<T> x) => new(VectorMath.Log1p(x.Value), x.Tangent / (Vector512<T>.One + x.Value));

    public static DualLanes<T> Expm1(DualLanes<T> x)
    {
        var value = VectorMath.Expm1(x.Value);
        return new(value, x.Tangent * (value + Vector512<T>.One));
    }

    public static DualLanes<T> GreaterThan(DualLanes<T> left, DualLanes<T> right) => new(Vector512.GreaterThan(left.Value, right.Value), default);

    public static DualLanes<T> LessThan(DualLanes<T> left, DualLanes<T> right) => new(Vector512.LessThan(left.Value, right.Value), default);

    public static DualLanes<T> And(DualLanes<T> left, DualLanes<T> right) => new(left.Value & right.Value, default);

    public static DualLanes<T> Select(DualLanes<T> mask, DualLanes<T> whenTrue, DualLanes<T> whenFalse) => new(
        Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value),
        Vector512.ConditionalSelect(mask.Value, whenTrue.Tangent, whenFalse.Tangent));
}
