using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// Batch normalization (Ioffe and Szegedy, 2015) per channel of NCHW images (PyTorch's <c>nn.BatchNorm2d</c>).
/// </summary>
/// <remarks>
/// y[n, c, h, w] = (x[n, c, h, w] − μ_c)/√(σ²_c + ε) · γ_c + β_c, with μ_c and the biased σ²_c over the N·H·W values of
/// channel c in training; running statistics with momentum (the variance unbiased, as PyTorch) and their use in
/// evaluation as described on <see cref="BatchNorm{T}"/>.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchNorm2d<T> : BatchNorm<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Normalizes <paramref name="features"/> channels.</summary>
    /// <param name="features">C, the size of axis 1.</param>
    /// <param name="epsilon">ε ≥ 0, added to the variance.</param>
    /// <param name="momentum">m in [0, 1], the weight of each batch in the running statistics.</param>
    /// <param name="affine">Whether γ and β are learned.</param>
    /// <param name="trackRunningStatistics">Whether running statistics are kept (and used in evaluation mode).</param>
    /// <exception cref="ArgumentOutOfRangeException">The channel count is not positive, ε is negative, or the momentum is outside [0, 1].</exception>
    public BatchNorm2d(int features, double epsilon = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStatistics = true)
        : base(features, epsilon, momentum, affine, trackRunningStatistics, "channel", 4)
    {
    }
}
