using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>
/// A unary op's backward g·φ′ from the one tensor it saved (its output or its input), for
/// <see cref="FusedKernels.ActivationBackward{T, TRule}"/>: the activations', and those of the square, log, square root
/// and reciprocal, each rounded as the op's recorded rule rounds it.
/// </summary>
internal interface IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The rule on whole vectors.</summary>
    static abstract Vector<T> Apply(Vector<T> g, Vector<T> saved);

    /// <summary>The same rule on one element, with the same rounding.</summary>
    static abstract T Apply(T g, T saved);
}

/// <summary>
/// The tangent of an activation backward r = rule(g, y) saved from the output y, when g and y move along ġ and ẏ:
/// ṙ = ġ·∂r/∂g + ẏ·∂r/∂y, for <see cref="FusedKernels.ActivationBackwardTangent{T, TRule}"/>.
/// </summary>
internal interface IActivationBackwardTangentRule<T> : IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>ṙ on whole vectors.</summary>
    static abstract Vector<T> Tangent(Vector<T> gTangent, Vector<T> g, Vector<T> y, Vector<T> yTangent);

    /// <summary>ṙ on one element, with the same rounding.</summary>
    static abstract T Tangent(T gTangent, T g, T y, T yTangent);
}

/// <summary>g·y·(1 − y), from the sigmoid's output y; its tangent is ġ·y(1 − y) + g·(1 − 2y)·ẏ.</summary>
internal readonly struct SigmoidBackwardRule<T> : IActivationBackwardTangentRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => g * saved * (Vector<T>.One - saved);

    public static T Apply(T g, T saved) => g * saved * (T.One - saved);

    public static Vector<T> Tangent(Vector<T> gTangent, Vector<T> g, Vector<T> y, Vector<T> yTangent) =>
        (gTangent * y * (Vector<T>.One - y)) + (g * (Vector<T>.One - y - y) * yTangent);

    public static T Tangent(T gTangent, T g, T y, T yTangent) => (gTangent * y * (T.One - y)) + (g * (T.One - y - y) * yTangent);
}

/// <summary>g·(1 − y²), from the tanh's output y; its tangent is ġ·(1 − y²) − 2·g·y·ẏ.</summary>
internal readonly struct TanhBackwardRule<T> : IActivationBackwardTangentRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => g * (Vector<T>.One - saved * saved);

    public static T Apply(T g, T saved) => g * (T.One - saved * saved);

    public static Vector<T> Tangent(Vector<T> gTangent, Vector<T> g, Vector<T> y, Vector<T> yTangent)
    {
        var gy = g * y;
        return (gTangent * (Vector<T>.One - y * y)) - ((gy + gy) * yTangent);
    }

    public static T Tangent(T gTangent, T g, T y, T yTangent)
    {
        T gy = g * y;
        return (gTangent * (T.One - y * y)) - ((gy + gy) * yTangent);
    }
}

/// <summary>g where x &gt; 0, else 0, from the relu's input x.</summary>
internal readonly struct ReluBackwardRule<T> : IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => Vector.ConditionalSelect(Vector.GreaterThan(saved, Vector<T>.Zero), g, Vector<T>.Zero);

    public static T Apply(T g, T saved) => saved > T.Zero ? g : T.Zero;
}

/// <summary>g·(2x), from the square's input x (the recorded rule doubles x, then multiplies).</summary>
internal readonly struct SquareBackwardRule<T> : IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => g * (saved * Vector.Create(T.CreateTruncating(2)));

    public static T Apply(T g, T saved) => g * (saved * T.CreateTruncating(2));
}

/// <summary>g / x, from the logarithm's input x.</summary>
internal readonly struct LogBackwardRule<T> : IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => g / saved;

    public static T Apply(T g, T saved) => g / saved;
}

/// <summary>g / (2y), from the square root's output y.</summary>
internal readonly struct SqrtBackwardRule<T> : IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => g / (saved * Vector.Create(T.CreateTruncating(2)));

    public static T Apply(T g, T saved) => g / (saved * T.CreateTruncating(2));
}

/// <summary>−(g·y²), from the reciprocal's output y.</summary>
internal readonly struct ReciprocalBackwardRule<T> : IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => -(g * (saved * saved));

    public static T Apply(T g, T saved) => -(g * (saved * saved));
}
