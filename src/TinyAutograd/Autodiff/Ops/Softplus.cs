using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise softplus ln(1 + eˣ), computed stably as max(x, 0) + ln(1 + e^−|x|).</summary>
    /// <remarks>y = ln(1 + eˣ); ∂L/∂x = ∂L/∂y·σ(x).</remarks>
    public Tensor<T> Softplus([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => SoftplusNode<T>.Apply(this, OpCall.At("Softplus", file, line));
}

internal sealed class SoftplusNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private SoftplusNode(Tensor<T> x)
        : base("Softplus", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, OpCall call = default)
    {
        var result = x.Map(static (source, destination) => Softplus(source, destination));
        return Tape.Record(call, result, Tape.Tracks(x) ? new SoftplusNode<T>(x) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Input(0).Sigmoid();

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Input(0).Sigmoid();

    /// <summary>destination = max(x, 0) + ln(1 + e^−|x|), which neither overflows nor loses small values.</summary>
    /// <remarks>
    /// ln(1 + e) for e = e^−|x| ∈ (0, 1] is ln(u) − ((u − 1) − e)/u with u = 1 + e rounded: the second term undoes the
    /// rounding of u, so a tiny e (x ≪ 0) keeps full relative accuracy. (TensorPrimitives.LogP1 evaluates ln(1 + e)
    /// directly, which returns 0 once e is below half an ulp of 1: softplus(−17) would be 0 in float.)
    /// </remarks>
    private static void Softplus(ReadOnlySpan<T> source, Span<T> destination)
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
