using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise exponential eˣ.</summary>
    /// <remarks>y = eˣ; ∂L/∂x = ∂L/∂y·y (the saved result is reused).</remarks>
    public Tensor<T> Exp([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => ExpNode<T>.Apply(this, OpCall.At("Exp", file, line));
}

internal sealed class ExpNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private ExpNode(Tensor<T> x)
        : base("Exp", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, OpCall call = default)
    {
        var result = x.Map(static (source, destination) => ExponentialKernels.Exp(source, destination));
        return Tape.Record(call, result, Tape.Tracks(x) ? new ExpNode<T>(x) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Output;

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        PointwiseGradientTerms.Times(g, Output.Data.Slice(start, g.Length), addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Output;
}
