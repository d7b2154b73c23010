using System.Numerics;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>Which saved tensors an elementwise rule's derivative reads, so the fused loops load only those.</summary>
[Flags]
internal enum Saved
{
    /// <summary>Neither: the derivative is a constant (a sum, a negation).</summary>
    None = 0,

    /// <summary>The input x (for a binary op, both inputs).</summary>
    Input = 1,

    /// <summary>The result y.</summary>
    Output = 2,
}

/// <summary>
/// A one-input elementwise op stated once: its function f (<see cref="Forward"/>) and its backward g·f′
/// (<see cref="Gradient"/>), written in x and/or the result y (PyTorch's derivatives.yaml: <c>self: grad * result</c>).
/// Everything else is derived from these two members: the VJP (g·f′ as differentiable tensor ops, so second order
/// works), the JVP (ẋ·f′: the same statement with ẋ for g) and the fused accumulate of the block-wise backward.
/// </summary>
/// <remarks>A rule is a small readonly struct; parameters (a slope, bounds, a scalar) are its fields.</remarks>
/// <typeparam name="T">The element type.</typeparam>
internal interface IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The op's name in messages and on the tape.</summary>
    string Name { get; }

    /// <summary>Which of x and y <see cref="Gradient"/> reads.</summary>
    Saved Uses { get; }

    /// <summary>y = f(x) over spans: <see cref="ElementwiseLoops.Map{T, TFunction}"/> of the rule's own
    /// <see cref="IElementwiseFunction{T}.Function"/>, or a library kernel where one is faster. A large output comes in
    /// ranges, one call each, on several cores (<see cref="ElementwiseLoops.Forward{T, TRule}"/>).</summary>
    void Forward(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>g·f′(x), given x and y = f(x); the same rounding for every <typeparamref name="TValue"/>.</summary>
    TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue>;
}

/// <summary>An elementwise function f stated once in <see cref="IElementValue{TSelf}"/> arithmetic, so that its SIMD
/// kernel is derived (<see cref="ElementwiseLoops.Map{T, TFunction}"/>).</summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>f(x).</summary>
    TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue>;
}

/// <summary>
/// A two-input elementwise op's backward stated once: its two partial terms g·∂f/∂x and g·∂f/∂y in x, y and the result
/// z (its forward is an <see cref="IBinaryOperator{T}"/>). Broadcasting is undone by the node, not here.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IBinaryRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The op's name in messages and on the tape.</summary>
    static abstract string Name { get; }

    /// <summary>Whether the partials read the inputs (<see cref="Saved.Input"/>) and/or the result.</summary>
    static abstract Saved Uses { get; }

    /// <summary>g·∂f/∂x.</summary>
    static abstract TValue Left<TValue>(TValue g, TValue x, TValue y, TValue z)
        where TValue : struct, IElementValue<TValue>;

    /// <summary>g·∂f/∂y.</summary>
    static abstract TValue Right<TValue>(TValue g, TValue x, TValue y, TValue z)
        where TValue : struct, IElementValue<TValue>;
}
