using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise reciprocal 1/x.</summary>
    /// <remarks>y = 1/x; ∂L/∂x = −∂L/∂y·y². 1/0 = +∞ (IEEE 754).</remarks>
    public Tensor<T> Reciprocal() => ReciprocalNode<T>.Apply(this);

    /// <summary>A scalar divided elementwise by a tensor.</summary>
    /// <remarks>y = c / x; ∂L/∂x = −∂L/∂y·c / x².</remarks>
    public static Tensor<T> operator /(double scalar, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return DivideNode<T>.Apply(Filled(Shape.Scalar, Constant(scalar)), x);
    }
}

internal sealed class ReciprocalNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private ReciprocalNode(Tensor<T> x)
        : base("Reciprocal", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x)
    {
        var result = x.Map(static (source, destination) => TensorPrimitives.Divide(T.One, source, destination));
        return Graph.Tracks(x) ? Graph.Record(new ReciprocalNode<T>(x), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => -(outputGradient * Output.Square());

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        FusedKernels.ActivationBackward<T, ReciprocalBackwardRule<T>>(g, Output.Data.Slice(start, g.Length), addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => -(inputTangent * Output.Square());
}
