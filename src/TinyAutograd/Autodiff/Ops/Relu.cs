using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise rectified linear unit max(x, 0).</summary>
    /// <remarks>y = max(x, 0); ∂L/∂x = ∂L/∂y where x &gt; 0 and 0 elsewhere (0 at x = 0, as in PyTorch).</remarks>
    public Tensor<T> Relu([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, ReluRule<T>>.Apply(this, default, OpCall.At("Relu", file, line));
}

/// <summary>f(x) = max(x, 0); g·f′ = g where x &gt; 0, else 0.</summary>
internal readonly struct ReluRule<T> : IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Relu";

    public Saved Uses => Saved.Input;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Max(x, T.Zero, y);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => TValue.Select(TValue.GreaterThan(x, TValue.Constant(0)), g, TValue.Constant(0));
}
