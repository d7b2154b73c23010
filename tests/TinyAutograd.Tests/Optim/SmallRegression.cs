using System.Numerics;
using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Optim;

/// <summary>
/// A small nonlinear least-squares model with two parameter tensors, a <see cref="Linear{T}"/> layer 3→2:
/// ŷ = tanh(XWᵀ + b), L = mean (ŷ − Y)². Fixed data and a fixed start, so runs are reproducible.
/// </summary>
internal sealed class SmallRegression<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> _x = new RandomSource(11).Uniform<T>([6, 3], -1, 1);
    private readonly Tensor<T> _y = new RandomSource(12).Uniform<T>([6, 2], -0.5, 0.5);
    private readonly Linear<T> _layer = new(3, 2, new RandomSource(13));

    /// <summary>W [2, 3] (PyTorch's [out, in]).</summary>
    public Tensor<T> Weight => _layer.Weight;

    /// <summary>b [2].</summary>
    public Tensor<T> Bias => _layer.Bias!;

    public Tensor<T>[] Parameters => [Weight, Bias];

    /// <summary>A fresh model holding copies of this one's current parameter values.</summary>
    public SmallRegression<T> Copy()
    {
        var copy = new SmallRegression<T>();
        copy._layer.LoadStateDict(_layer.StateDict());
        return copy;
    }

    public Tensor<T> Loss() => TinyAutograd.Loss.SquaredError(_layer.Forward(_x).Tanh(), _y);

    /// <summary>The loss as a function of the parameters (W, b), for the transforms.</summary>
    public Tensor<T> LossAt(Tensor<T>[] parameters) => _layer.WithParameters(parameters, Loss);
}
