using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise softplus ln(1 + eˣ), computed stably as max(x, 0) + ln(1 + e^−|x|).</summary>
    /// <remarks>y = ln(1 + eˣ); ∂L/∂x = ∂L/∂y·σ(x).</remarks>
    public Tensor<T> Softplus([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        ElementwiseNode<T, SoftplusRule<T>>.Apply(this, default, OpCall.At("Softplus", file, line));
}

/// <summary>f(x) = ln(1 + eˣ); g·f′ = g·σ(x).</summary>
internal readonly struct SoftplusRule<T> : IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "Softplus";

    public Saved Uses => Saved.Input;

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g * TValue.Sigmoid(x);

    /// <summary>destination = max(x, 0) + ln(1 + e^−|x|), which neither overflows nor loses small values.</summary>
    /// <remarks>
    /// ln(1 + e) for e = e^−|x| ∈ (0, 1] is ln(u) − ((u − 1) − e)/u with u = 1 + e rounded: the second term undoes the
    /// rounding of u, so a tiny e (x ≪ 0) keeps full relative accuracy. (TensorPrimitives.LogP1 evaluates ln(1 + e)
    /// directly, which returns 0 once e is below half an ulp of 1: softplus(−17) would be 0 in float.)
    /// </remarks>
    public void Forward(ReadOnlySpan<T> source, Span<T> destination)
    {
        TensorPrimitives.Abs(source, destination);
        TensorPrimitives.Negate(destination, destination);
        ExponentialKernels.Exp<T>(destination, destination);
        for (int i = 0; i < destination.Length; i++)
        {
            T e = destination[i];
            T u = T.One + e;
            destination[i] = T.Log(u) - (u - T.One - e) / u + T.Max(source[i], T.Zero);
        }
    }
}
