using System.Numerics;

namespace TinyAutograd.Tests.Optim;

/// <summary>
/// A small nonlinear least-squares model with two parameter tensors: ŷ = tanh(XW + b), L = mean (ŷ − Y)². Fixed data
/// and a fixed start, so runs are reproducible.
/// </summary>
internal sealed class SmallRegression<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> _x = new RandomSource(11).Uniform<T>([6, 3], -1, 1);
    private readonly Tensor<T> _y = new RandomSource(12).Uniform<T>([6, 2], -0.5, 0.5);

    public SmallRegression()
        : this(new RandomSource(13).Uniform<T>([3, 2], -0.5, 0.5), new RandomSource(14).Uniform<T>([2], -0.1, 0.1))
    {
    }

    private SmallRegression(Tensor<T> weight, Tensor<T> bias)
    {
        Weight = weight.RequireGrad();
        Bias = bias.RequireGrad();
    }

    public Tensor<T> Weight { get; }

    public Tensor<T> Bias { get; }

    public Tensor<T>[] Parameters => [Weight, Bias];

    /// <summary>A fresh model holding copies of this one's current parameter values.</summary>
    public SmallRegression<T> Copy() => new(Weight.Detach().Clone(), Bias.Detach().Clone());

    public Tensor<T> Loss() => TinyAutograd.Loss.SquaredError((_x.MatMul(Weight) + Bias).Tanh(), _y);
}
