using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// Batch normalization (Ioffe and Szegedy, 2015) over the feature axis of [N, C] or [N, C, L] inputs (PyTorch's
/// <c>nn.BatchNorm1d</c>).
/// </summary>
/// <remarks>
/// y = (x − μ)/√(σ² + ε) ⊙ γ + β per feature c, with the statistics over the batch (and length) axes; running
/// statistics with momentum as described on <see cref="BatchNorm{T}"/>.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchNorm1d<T> : BatchNorm<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Normalizes <paramref name="features"/> features.</summary>
    /// <param name="features">C, the size of axis 1.</param>
    /// <param name="epsilon">ε ≥ 0, added to the variance.</param>
    /// <param name="momentum">m in [0, 1], the weight of each batch in the running statistics.</param>
    /// <param name="affine">Whether γ and β are learned.</param>
    /// <param name="trackRunningStatistics">Whether running statistics are kept (and used in evaluation mode).</param>
    /// <exception cref="ArgumentOutOfRangeException">The feature count is not positive, ε is negative, or the momentum is outside [0, 1].</exception>
    public BatchNorm1d(int features, double epsilon = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStatistics = true)
        : base(features, epsilon, momentum, affine, trackRunningStatistics, "feature", 2, 3)
    {
    }
}
