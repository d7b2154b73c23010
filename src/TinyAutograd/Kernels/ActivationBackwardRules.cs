using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>An activation's backward g·φ′ from the one tensor it saved, for <see cref="FusedKernels.ActivationBackward{T, TRule}"/>.</summary>
internal interface IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The rule on whole vectors.</summary>
    static abstract Vector<T> Apply(Vector<T> g, Vector<T> saved);

    /// <summary>The same rule on one element, with the same rounding.</summary>
    static abstract T Apply(T g, T saved);
}

/// <summary>g·y·(1 − y), from the sigmoid's output y.</summary>
internal readonly struct SigmoidBackwardRule<T> : IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => g * saved * (Vector<T>.One - saved);

    public static T Apply(T g, T saved) => g * saved * (T.One - saved);
}

/// <summary>g·(1 − y²), from the tanh's output y.</summary>
internal readonly struct TanhBackwardRule<T> : IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => g * (Vector<T>.One - saved * saved);

    public static T Apply(T g, T saved) => g * (T.One - saved * saved);
}

/// <summary>g where x &gt; 0, else 0, from the relu's input x.</summary>
internal readonly struct ReluBackwardRule<T> : IActivationBackwardRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Vector<T> Apply(Vector<T> g, Vector<T> saved) => Vector.ConditionalSelect(Vector.GreaterThan(saved, Vector<T>.Zero), g, Vector<T>.Zero);

    public static T Apply(T g, T saved) => saved > T.Zero ? g : T.Zero;
}
