using System.Numerics;
using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd.Differentiation.Elementwise;

/// <summary>
/// A tensor, or a constant, as an <see cref="IElementValue{TSelf}"/>: an elementwise rule instantiated with it is its
/// backward written in differentiable tensor ops (recorded when the backward is, so derivatives of any order follow).
/// Arithmetic with a constant uses the scalar ops (x·c, c − x, c / x), which round as the vector lanes do; functions
/// call the public ops, whose forward kernels are the ones <see cref="Lanes{T, TSimd}"/> calls. Masks are 0/1 tensors.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct TensorValue<T> : IElementValue<TensorValue<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>? _tensor;
    private readonly T _constant;

    public TensorValue(Tensor<T> tensor) => _tensor = tensor;

    private TensorValue(T constant) => _constant = constant;

    /// <summary>The tensor (a constant becomes a 0-d tensor).</summary>
    public Tensor<T> Tensor => _tensor ?? Tensor<T>.Filled(Shape.Scalar, _constant);

    private double Scalar => double.CreateTruncating(_constant);

    public static TensorValue<T> Constant(double value) => new(T.CreateTruncating(value));

    public static TensorValue<T> operator +(TensorValue<T> left, TensorValue<T> right) => (left._tensor, right._tensor) switch
    {
        ({ } a, { } b) => new(a + b),
        ({ } a, null) => new(a + right.Scalar),
        (null, { } b) => new(left.Scalar + b),
        _ => new(left._constant + right._constant),
    };

    public static TensorValue<T> operator -(TensorValue<T> left, TensorValue<T> right) => (left._tensor, right._tensor) switch
    {
        ({ } a, { } b) => new(a - b),
        ({ } a, null) => new(a - right.Scalar),
        (null, { } b) => new(left.Scalar - b),
        _ => new(left._constant - right._constant),
    };

    public static TensorValue<T> operator *(TensorValue<T> left, TensorValue<T> right) => (left._tensor, right._tensor) switch
    {
        ({ } a, { } b) => new(a * b),
        ({ } a, null) => new(a * right.Scalar),
        (null, { } b) => new(left.Scalar * b),
        _ => new(left._constant * right._constant),
    };

    public static TensorValue<T> operator /(TensorValue<T> left, TensorValue<T> right) => (left._tensor, right._tensor) switch
    {
        ({ } a, { } b) => new(a / b),
        ({ } a, null) => new(a / right.Scalar),
        (null, { } b) => new(left.Scalar / b),
        _ => new(left._constant / right._constant),
    };

    public static TensorValue<T> operator -(TensorValue<T> value) => value._tensor is { } tensor ? new(-tensor) : new(-value._constant);

    public static TensorValue<T> Exp(TensorValue<T> x) => new(x.Tensor.Exp());

    public static TensorValue<T> Sigmoid(TensorValue<T> x) => new(x.Tensor.Sigmoid());

    public static TensorValue<T> Tanh(TensorValue<T> x) => new(x.Tensor.Tanh());

    public static TensorValue<T> Erf(TensorValue<T> x) => new(x.Tensor.Erf());

    public static TensorValue<T> NormalCdf(TensorValue<T> x) => new(x.Tensor.NormalCdf());

    public static TensorValue<T> Sin(TensorValue<T> x) => new(x.Tensor.Sin());

    public static TensorValue<T> Cos(TensorValue<T> x) => new(x.Tensor.Cos());

    public static TensorValue<T> Sqrt(TensorValue<T> x) => new(x.Tensor.Sqrt());

    public static TensorValue<T> Log1p(TensorValue<T> x) => new(x.Tensor.Log1p());

    public static TensorValue<T> Expm1(TensorValue<T> x) => new(x.Tensor.Expm1());

    public static TensorValue<T> GreaterThan(TensorValue<T> left, TensorValue<T> right) =>
        new(Tensor<T>.Broadcasting<GreaterThanOperator<T>>(left.Tensor, right.Tensor, "GreaterThan"));

    public static TensorValue<T> LessThan(TensorValue<T> left, TensorValue<T> right) => GreaterThan(right, left);

    public static TensorValue<T> And(TensorValue<T> left, TensorValue<T> right) =>
        new(Tensor<T>.Broadcasting<MultiplyOperator<T>>(left.Tensor, right.Tensor, "And"));

    public static TensorValue<T> Select(TensorValue<T> mask, TensorValue<T> whenTrue, TensorValue<T> whenFalse) =>
        new(Tensor<T>.Where(mask.Tensor, whenTrue.Tensor, whenFalse.Tensor));
}
