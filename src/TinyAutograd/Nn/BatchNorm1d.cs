using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// Batch normalization (Ioffe and Szegedy, 2015) over the feature axis of [N, C] or [N, C, L] inputs (PyTorch's
/// <c>nn.BatchNorm1d</c>).
/// </summary>
/// <remarks>
/// <para>
/// Training: y = (x − μ_B)/√(σ²_B + ε) ⊙ γ + β per feature c, with μ_B and the biased σ²_B over the batch (and length)
/// axes; the buffers move towards the batch: running_mean ← (1 − m)·running_mean + m·μ_B and
/// running_var ← (1 − m)·running_var + m·σ²_B·n/(n − 1) (the unbiased variance, n values per feature). Evaluation (or
/// without running statistics tracked: never): the same formula with the running statistics in place of the batch's.
/// </para>
/// <para>
/// γ (<c>weight</c>) starts at 1, β (<c>bias</c>) at 0, running_mean at 0 and running_var at 1, and the 0-d buffer
/// num_batches_tracked counts the training batches, as in PyTorch (so state dicts match name for name; PyTorch's
/// cumulative average for momentum = None is not offered). The layer is a composite of differentiable ops, so
/// gradients of any order flow through the batch statistics.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchNorm1d<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Normalizes <paramref name="features"/> features.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature count is not positive, ε is negative, or the momentum is outside [0, 1].</exception>
    public BatchNorm1d(int features, double epsilon = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStatistics = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm1d: the momentum must lie in [0, 1].");
        }
        Features = features;
        Epsilon = epsilon;
        Momentum = momentum;
        HasAffine = affine;
        TracksRunningStatistics = trackRunningStatistics;
        if (affine)
        {
            RegisterParameter("weight", Tensor.Ones<T>(features));
            RegisterParameter("bias", Tensor.Zeros<T>(features));
        }
        if (trackRunningStatistics)
        {
            RegisterBuffer("running_mean", Tensor.Zeros<T>(features));
            RegisterBuffer("running_var", Tensor.Ones<T>(features));
            RegisterBuffer("num_batches_tracked", Tensor.Scalar(T.Zero));
        }
    }

    /// <summary>The number of features C.</summary>
    public int Features { get; }

    /// <summary>ε ≥ 0, added to the variance (0 divides by zero on a constant slice).</summary>
    public double Epsilon { get; }

    /// <summary>m, the weight of each batch in the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>Whether γ and β are learned.</summary>
    public bool HasAffine { get; }

    /// <summary>Whether running statistics are kept (and used in evaluation mode).</summary>
    public bool TracksRunningStatistics { get; }

    /// <summary>The running mean, of shape [C].</summary>
    /// <exception cref="KeyNotFoundException">Running statistics are not tracked.</exception>
    public Tensor<T> RunningMean => Buffer("running_mean");

    /// <summary>The running (unbiased) variance, of shape [C].</summary>
    /// <exception cref="KeyNotFoundException">Running statistics are not tracked.</exception>
    public Tensor<T> RunningVariance => Buffer("running_var");

    /// <inheritdoc/>
    public override string Description => $"BatchNorm1d {Features}";

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3) || input.Shape[1] != Features)
        {
            throw ShapeError(input.Rank is 2 or 3
                ? $"input has {input.Shape[1]} features, expected {Features} (input shape {input.Shape})"
                : $"input has shape {input.Shape}, expected [N, {Features}] or [N, {Features}, L]");
        }
        int[] axes = input.Rank == 2 ? [0] : [0, 2];
        int[] perFeature = input.Rank == 2 ? [1, Features] : [1, Features, 1];
        Tensor<T> normalized;
        if (IsTraining || !TracksRunningStatistics)
        {
            int count = input.Length / Features;
            if (count < 2)
            {
                throw ShapeError($"input has shape {input.Shape}: training needs more than one value per feature");
            }
            var mean = input.Mean(axes, keepDims: true);
            var centered = input - mean;
            var variance = centered.Square().Mean(axes, keepDims: true);
            if (TracksRunningStatistics)
            {
                UpdateRunningStatistics(mean, variance, count);
            }
            normalized = centered / (variance + Epsilon).Sqrt();
        }
        else
        {
            normalized = (input - RunningMean.Reshape(perFeature)) / (RunningVariance.Reshape(perFeature) + Epsilon).Sqrt();
        }
        return HasAffine ? normalized * Parameter("weight").Reshape(perFeature) + Parameter("bias").Reshape(perFeature) : normalized;
    }

    private void UpdateRunningStatistics(Tensor<T> mean, Tensor<T> variance, int count)
    {
        T m = T.CreateTruncating(Momentum), keep = T.One - m, unbiased = T.CreateTruncating(count / (count - 1.0));
        using (GradMode.Disable())
        {
            var batchMean = mean.Data;
            var batchVariance = variance.Data;
            var runningMean = RunningMean.GetSpanForWrite();
            var runningVariance = RunningVariance.GetSpanForWrite();
            Buffer("num_batches_tracked").GetSpanForWrite()[0] += T.One;
            for (int c = 0; c < Features; c++)
            {
                runningMean[c] = keep * runningMean[c] + m * batchMean[c];
                runningVariance[c] = keep * runningVariance[c] + m * batchVariance[c] * unbiased;
            }
        }
    }
}
