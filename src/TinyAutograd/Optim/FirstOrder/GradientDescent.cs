using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>Hyper-parameters of <see cref="GradientDescent{T}"/>.</summary>
public sealed record GradientDescentOptions : OptimizerOptions
{
    /// <summary>Creates the options with η = 0.01.</summary>
    public GradientDescentOptions()
        : base(0.01)
    {
    }
}

/// <summary>
/// Plain gradient descent (with mini-batches: stochastic gradient descent): a step of size η against the gradient.
/// </summary>
/// <remarks>
/// θ ← θ − η g, with g = ∇L(θ). Batch GD, SGD and mini-batch SGD differ only in the examples the gradient
/// averages over (see <see cref="Data.DataLoader{T}"/>). Keeps no memory. Default η = 0.01.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class GradientDescent<T> : ElementwiseOptimizer<T, GradientDescentOptions>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group.</summary>
    public GradientDescent(IEnumerable<Tensor<T>> parameters, GradientDescentOptions? options = null)
        : this([new ParameterGroup<T>(parameters, options ?? new GradientDescentOptions())])
    {
    }

    /// <summary>Optimizes several groups, each with its own <see cref="GradientDescentOptions"/>.</summary>
    public GradientDescent(IEnumerable<ParameterGroup<T>> groups)
        : base(groups)
    {
    }

    /// <inheritdoc/>
    protected override void Update(Span<T> parameter, ReadOnlySpan<T> gradient, ParameterState<T> state, GradientDescentOptions options) =>
        OptimizerKernels.AddScaled(parameter, gradient, -Constant(options.LearningRate));
}
