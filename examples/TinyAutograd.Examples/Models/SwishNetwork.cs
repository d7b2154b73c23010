namespace TinyAutograd.Examples.Models;

/// <summary>
/// A user's own model, written from scratch with the library: a network 1 → H → H → 1 for fitting a curve, whose
/// hidden layers use the user-written <see cref="Swish"/> operation.
/// </summary>
/// <remarks>ŷ = W₃·swish(W₂·swish(W₁x + b₁) + b₂) + b₃, weights drawn from N(0, 1/fan-in), biases at 0.</remarks>
internal sealed class SwishNetwork
{
    private static readonly Swish s_swish = new();
    private readonly Tensor<double> _w1, _b1, _w2, _b2, _w3, _b3;

    public SwishNetwork(int hidden, ulong seed)
    {
        var random = new RandomSource(seed);
        _w1 = random.Normal<double>([hidden, 1], 0, 1).RequireGrad();
        _b1 = Tensor.Zeros<double>(hidden).RequireGrad();
        _w2 = random.Normal<double>([hidden, hidden], 0, 1 / Math.Sqrt(hidden)).RequireGrad();
        _b2 = Tensor.Zeros<double>(hidden).RequireGrad();
        _w3 = random.Normal<double>([1, hidden], 0, 1 / Math.Sqrt(hidden)).RequireGrad();
        _b3 = Tensor.Zeros<double>(1).RequireGrad();
    }

    /// <summary>The parameters to hand to an optimizer.</summary>
    public IReadOnlyList<Tensor<double>> Parameters => [_w1, _b1, _w2, _b2, _w3, _b3];

    /// <summary>ŷ for a batch of inputs x of shape [N, 1]; returns [N, 1].</summary>
    public Tensor<double> Forward(Tensor<double> x)
    {
        var hidden = s_swish.Apply(Tensor.MatMul(x, _w1, transposeRight: true) + _b1);
        hidden = s_swish.Apply(Tensor.MatMul(hidden, _w2, transposeRight: true) + _b2);
        return Tensor.MatMul(hidden, _w3, transposeRight: true) + _b3;
    }
}
