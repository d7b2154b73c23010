using TinyAutograd.Nn;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// A user's own model, written from scratch with the library: a network 1 → H → H → 1 for fitting a curve, whose
/// hidden layers use the user-written <see cref="Swish"/> operation.
/// </summary>
/// <remarks>ŷ = W₃·swish(W₂·swish(W₁x + b₁) + b₂) + b₃, weights drawn from N(0, 1/fan-in), biases at 0.</remarks>
internal sealed class SwishNetwork : Layer<double>
{
    private static readonly Swish s_swish = new();
    private readonly Linear<double> _fc1, _fc2, _fc3;

    public SwishNetwork(int hidden, ulong seed)
    {
        var random = new RandomSource(seed);
        _fc1 = RegisterModule("fc1", Initialized(new Linear<double>(1, hidden, random), random));
        _fc2 = RegisterModule("fc2", Initialized(new Linear<double>(hidden, hidden, random), random));
        _fc3 = RegisterModule("fc3", Initialized(new Linear<double>(hidden, 1, random), random));
    }

    /// <summary>ŷ for a batch of inputs x of shape [N, 1]; returns [N, 1].</summary>
    public override Tensor<double> Forward(Tensor<double> input)
    {
        var hidden = s_swish.Apply(_fc1.Forward(input));
        hidden = s_swish.Apply(_fc2.Forward(hidden));
        return _fc3.Forward(hidden);
    }

    private static Linear<double> Initialized(Linear<double> layer, RandomSource random)
    {
        Init.KaimingNormal(layer.Weight, random, nonlinearity: Nonlinearity.Linear);
        Init.Constant(layer.Bias!, 0);
        return layer;
    }
}
