namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// An <see cref="IElementValue{TSelf}"/> that counts how many special functions (eˣ, σ, tanh, erf, Φ, sin, cos,
/// log(1 + x), eˣ − 1) an elementwise function's statement evaluates per element, read from the statement itself: its
/// arithmetic, square roots, comparisons and selections count nothing, and a value used twice counts its functions
/// twice. <see cref="ElementwiseLoops.Forward{T, TRule}"/> weighs a map's work by it when deciding whether to split it
/// over the cores.
/// </summary>
internal readonly struct SpecialFunctionCount : IElementValue<SpecialFunctionCount>
{
    private SpecialFunctionCount(int count) => Count = count;

    /// <summary>Special functions evaluated to form this value.</summary>
    public int Count { get; }

    /// <summary>The count of <paramref name="function"/>'s statement, evaluated on an input that counts nothing.</summary>
    public static int Of<T>(IElementwiseFunction<T> function)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => function.Function(default(SpecialFunctionCount)).Count;

    public static SpecialFunctionCount Constant(double value) => default;

    public static SpecialFunctionCount operator +(SpecialFunctionCount left, SpecialFunctionCount right) => Both(left, right);

    public static SpecialFunctionCount operator -(SpecialFunctionCount left, SpecialFunctionCount right) => Both(left, right);

    public static SpecialFunctionCount operator *(SpecialFunctionCount left, SpecialFunctionCount right) => Both(left, right);

    public static SpecialFunctionCount operator /(SpecialFunctionCount left, SpecialFunctionCount right) => Both(left, right);

    public static SpecialFunctionCount operator -(SpecialFunctionCount value) => value;

    public static SpecialFunctionCount Exp(SpecialFunctionCount x) => OneMore(x);

    public static SpecialFunctionCount Sigmoid(SpecialFunctionCount x) => OneMore(x);

    public static SpecialFunctionCount Tanh(SpecialFunctionCount x) => OneMore(x);

    public static SpecialFunctionCount Erf(SpecialFunctionCount x) => OneMore(x);

    public static SpecialFunctionCount NormalCdf(SpecialFunctionCount x) => OneMore(x);

    public static SpecialFunctionCount Sin(SpecialFunctionCount x) => OneMore(x);

    public static SpecialFunctionCount Cos(SpecialFunctionCount x) => OneMore(x);

    public static SpecialFunctionCount Sqrt(SpecialFunctionCount x) => x;

    public static SpecialFunctionCount Log1p(SpecialFunctionCount x) => OneMore(x);

    public static SpecialFunctionCount Expm1(SpecialFunctionCount x) => OneMore(x);

    public static SpecialFunctionCount GreaterThan(SpecialFunctionCount left, SpecialFunctionCount right) => Both(left, right);

    public static SpecialFunctionCount LessThan(SpecialFunctionCount left, SpecialFunctionCount right) => Both(left, right);

    public static SpecialFunctionCount And(SpecialFunctionCount left, SpecialFunctionCount right) => Both(left, right);

    public static SpecialFunctionCount Select(SpecialFunctionCount mask, SpecialFunctionCount whenTrue, SpecialFunctionCount whenFalse) =>
        new(mask.Count + whenTrue.Count + whenFalse.Count);

    private static SpecialFunctionCount Both(SpecialFunctionCount left, SpecialFunctionCount right) => new(left.Count + right.Count);

    private static SpecialFunctionCount OneMore(SpecialFunctionCount x) => new(x.Count + 1);
}
