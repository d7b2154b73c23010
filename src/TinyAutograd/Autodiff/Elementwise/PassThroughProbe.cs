using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd.Differentiation.Elementwise;

/// <summary>
/// An <see cref="IElementValue{TSelf}"/> that only tracks whether a value is the incoming gradient g itself: a rule
/// evaluated on it with g marked says whether its partial is g unchanged (a sum's, x + c's), read from the rule's own
/// statement. Every operation, constant and mask gives an unmarked value.
/// </summary>
internal readonly struct PassThroughProbe : IElementValue<PassThroughProbe>
{
    private PassThroughProbe(bool isGradient) => IsGradient = isGradient;

    /// <summary>The incoming gradient, marked.</summary>
    public static PassThroughProbe Gradient => new(true);

    /// <summary>Any other value (a saved input or result).</summary>
    public static PassThroughProbe Other => default;

    /// <summary>Whether this value is the incoming gradient, untouched.</summary>
    public bool IsGradient { get; }

    public static PassThroughProbe Constant(double value) => default;

    public static PassThroughProbe operator +(PassThroughProbe left, PassThroughProbe right) => default;

    public static PassThroughProbe operator -(PassThroughProbe left, PassThroughProbe right) => default;

    public static PassThroughProbe operator *(PassThroughProbe left, PassThroughProbe right) => default;

    public static PassThroughProbe operator /(PassThroughProbe left, PassThroughProbe right) => default;

    public static PassThroughProbe operator -(PassThroughProbe value) => default;

    public static PassThroughProbe Exp(PassThroughProbe x) => default;

    public static PassThroughProbe Sigmoid(PassThroughProbe x) => default;

    public static PassThroughProbe Tanh(PassThroughProbe x) => default;

    public static PassThroughProbe Erf(PassThroughProbe x) => default;

    public static PassThroughProbe NormalCdf(PassThroughProbe x) => default;

    public static PassThroughProbe Sin(PassThroughProbe x) => default;

    public static PassThroughProbe Cos(PassThroughProbe x) => default;

    public static PassThroughProbe Sqrt(PassThroughProbe x) => default;

    public static PassThroughProbe Log1p(PassThroughProbe x) => default;

    public static PassThroughProbe Expm1(PassThroughProbe x) => default;

    public static PassThroughProbe GreaterThan(PassThroughProbe left, PassThroughProbe right) => default;

    public static PassThroughProbe LessThan(PassThroughProbe left, PassThroughProbe right) => default;

    public static PassThroughProbe And(PassThroughProbe left, PassThroughProbe right) => default;

    public static PassThroughProbe Select(PassThroughProbe mask, PassThroughProbe whenTrue, PassThroughProbe whenFalse) => default;
}
