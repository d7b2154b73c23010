using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// Batch normalization (Ioffe and Szegedy, 2015) over the channel axis 1 of an input batch, with statistics over every
/// other axis: what <see cref="BatchNorm1d{T}"/> ([N, C] or [N, C, L]) and <see cref="BatchNorm2d{T}"/> ([N, C, H, W])
/// share (PyTorch's <c>_BatchNorm</c>).
/// </summary>
/// <remarks>
/// <para>
/// Training: y = (x − μ_B)/√(σ²_B + ε) ⊙ γ + β per channel c, with μ_B and the biased σ²_B over the n values of channel
/// c in the batch (all axes but 1); the buffers move towards the batch: running_mean ← (1 − m)·running_mean + m·μ_B and
/// running_var ← (1 − m)·running_var + m·σ²_B·n/(n − 1) (the unbiased variance, as PyTorch). Evaluation (or without
/// running statistics tracked: never): the same formula with the running statistics in place of the batch's.
/// </para>
/// <para>
/// γ (<c>weight</c>) starts at 1, β (<c>bias</c>) at 0, running_mean at 0 and running_var at 1, and the 0-d buffer
/// num_batches_tracked counts the training batches, as in PyTorch (so state dicts match name for name; PyTorch's
/// cumulative average for momentum = None is not offered). The layer is a composite of differentiable ops, so
/// gradients of any order flow through the batch statistics.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class BatchNorm<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string _axisName;
    private readonly int[] _ranks;

    /// <summary>Registers γ, β and the running statistics for <paramref name="features"/> channels.</summary>
    /// <param name="features">C, the size of axis 1.</param>
    /// <param name="epsilon">ε ≥ 0.</param>
    /// <param name="momentum">m in [0, 1].</param>
    /// <param name="affine">Whether γ and β are learned.</param>
    /// <param name="trackRunningStatistics">Whether running statistics are kept.</param>
    /// <param name="axisName">What axis 1 holds, in the singular, for error messages ("feature", "channel").</param>
    /// <param name="ranks">The input ranks the layer takes.</param>
    private protected BatchNorm(int features, double epsilon, double momentum, bool affine, bool trackRunningStatistics, string axisName, params int[] ranks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"{GetType().Name.Split('`')[0]} {features}: the momentum must lie in [0, 1].");
        }
        (Features, Epsilon, Momentum, HasAffine, TracksRunningStatistics) = (features, epsilon, momentum, affine, trackRunningStatistics);
        (_axisName, _ranks) = (axisName, ranks);
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

    /// <summary>The number of channels C (PyTorch's num_features).</summary>
    public int Features { get; }

    /// <summary>ε ≥ 0, added to the variance (0 divides by zero on a constant channel).</summary>
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
    public override string Description => $"{base.Description} {Features}";

    /// <summary>The normalized input, of the input's shape; in training mode the running statistics are updated too.</summary>
    /// <exception cref="ArgumentException">
    /// The input's rank is not one the layer takes, axis 1 is not C, or training sees a single value per channel.
    /// </exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_ranks.Contains(input.Rank))
        {
            throw ShapeError($"input has shape {input.Shape}, expected {string.Join(" or ", _ranks.Select(Layout))}");
        }
        if (input.Shape[1] != Features)
        {
            throw ShapeError($"input has {input.Shape[1]} {_axisName}s, expected {Features} (input shape {input.Shape})");
        }
        int[] axes = [0, .. Enumerable.Range(2, input.Rank - 2)];
        int[] perFeature = [1, Features, .. Enumerable.Repeat(1, input.Rank - 2)];
        Tensor<T> normalized;
        if (IsTraining || !TracksRunningStatistics)
        {
            int count = input.Length / Features;
            if (count < 2)
            {
                throw ShapeError($"input has shape {input.Shape}: training needs more than one value per {_axisName}");
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

    private string Layout(int rank) => rank switch
    {
        2 => $"[N, {Features}]",
        3 => $"[N, {Features}, L]",
        _ => $"[N, {Features}, H, W]",
    };

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
