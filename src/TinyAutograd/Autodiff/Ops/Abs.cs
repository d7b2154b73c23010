using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise absolute value |x|.</summary>
    /// <remarks>y = |x|; ∂L/∂x = ∂L/∂y·sign(x), with sign(0) = 0 (the subgradient PyTorch and JAX use).</remarks>
    public Tensor<T> Abs([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => AbsNode<T>.Apply(this, OpCall.At("Abs", file, line));
}

internal sealed class AbsNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _sign;

    private AbsNode(Tensor<T> x)
        : base("Abs", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, OpCall call = default)
    {
        var result = x.Map(static (source, destination) => TensorPrimitives.Abs(source, destination));
        return Tape.Record(call, result, Tape.Tracks(x) ? new AbsNode<T>(x) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient * Sign();

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent * Sign();

    /// <summary>sign(x) as a constant: −1, 0 or 1 (NaN stays NaN).</summary>
    private Tensor<T> Sign() => _sign ??= Input(0).Map(static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = T.IsNaN(source[i]) ? source[i] : T.CreateTruncating(T.Sign(source[i]));
        }
    });
}
