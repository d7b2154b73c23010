using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise leaky rectifier: x where x &gt; 0, else slope·x.</summary>
    /// <remarks>y = x for x &gt; 0, slope·x otherwise; ∂L/∂x = ∂L/∂y for x &gt; 0 and slope·∂L/∂y otherwise (so at x = 0 the slope, as in PyTorch). The default slope is PyTorch's 0.01.</remarks>
    public Tensor<T> LeakyRelu(double negativeSlope = 0.01, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, LeakyReluRule<T>>.Apply(this, new(negativeSlope), OpCall.At("LeakyRelu", file, line));
}

/// <summary>f(x) = x for x &gt; 0, else slope·x; g·f′ = g or g·slope.</summary>
internal readonly struct LeakyReluRule<T>(double slope) : IElementwiseRule<T>, IElementwiseFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "LeakyRelu";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => ElementwiseLoops.Map(x, y, this);

    public TValue Function<TValue>(TValue x)
        where TValue : struct, IElementValue<TValue> => TValue.Select(TValue.GreaterThan(x, TValue.Constant(0)), x, x * TValue.Constant(slope));

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => TValue.Select(TValue.GreaterThan(x, TValue.Constant(0)), g, g * TValue.Constant(slope));
}
