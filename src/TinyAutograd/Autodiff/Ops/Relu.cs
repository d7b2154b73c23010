using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise rectified linear unit max(x, 0).</summary>
    /// <remarks>y = max(x, 0); ∂L/∂x = ∂L/∂y where x &gt; 0 and 0 elsewhere (0 at x = 0, as in PyTorch).</remarks>
    public Tensor<T> Relu() => ReluNode<T>.Apply(this);
}

internal sealed class ReluNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _mask;

    private ReluNode(Tensor<T> x)
        : base("Relu", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x)
    {
        var result = x.Map(static (source, destination) => TensorPrimitives.Max(source, T.Zero, destination));
        return Graph.Tracks(x) ? Graph.Record(new ReluNode<T>(x), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Mask();

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Mask();

    /// <summary>1 where x &gt; 0, else 0, as a constant.</summary>
    private Tensor<T> Mask() => _mask ??= Input(0).Map(static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] > T.Zero ? T.One : T.Zero;
        }
    });
}
