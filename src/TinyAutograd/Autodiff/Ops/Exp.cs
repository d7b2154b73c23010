using System.Numerics;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise exponential eˣ.</summary>
    /// <remarks>y = eˣ; ∂L/∂x = ∂L/∂y·y (the saved result is reused).</remarks>
    public Tensor<T> Exp() => ExpNode<T>.Apply(this);
}

internal sealed class ExpNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private ExpNode(Tensor<T> x)
        : base("Exp", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x)
    {
        var result = x.Map(static (source, destination) => ExponentialKernels.Exp(source, destination));
        return Graph.Tracks(x) ? Graph.Record(new ExpNode<T>(x), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Output;

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        PointwiseGradientTerms.Times(g, Output.Data.Slice(start, g.Length), addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Output;
}
