using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise negation.</summary>
    /// <remarks>y = −x; ∂L/∂x = −∂L/∂y.</remarks>
    public static Tensor<T> operator -(Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return NegateNode<T>.Apply(x);
    }

    /// <summary>Elementwise negation: <c>−this</c>.</summary>
    public Tensor<T> Negate() => -this;
}

internal sealed class NegateNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private NegateNode(Tensor<T> x)
        : base("Negate", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x)
    {
        var result = x.Map(static (source, destination) =>
        {
            if (VectorLoops.Streams<T>(destination.Length))
            {
                VectorLoops.Map(source, destination, default(NegatedLanes));
            }
            else
            {
                TensorPrimitives.Negate(source, destination);
            }
        });
        return Graph.Tracks(x) ? Graph.Record(new NegateNode<T>(x), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => -outputGradient;

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        PointwiseGradientTerms.Minus(g, addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => -inputTangent;

    /// <summary>−x on whole vectors, for streamed large outputs.</summary>
    private readonly struct NegatedLanes : IVectorMap<T>
    {
        public Vector512<T> Apply(Vector512<T> x) => -x;
    }
}
