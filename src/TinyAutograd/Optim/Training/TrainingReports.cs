namespace TinyAutograd.Optim;

/// <summary>What one epoch of <see cref="Trainer{T}"/> did.</summary>
/// <param name="Epoch">The epoch's index, from 0.</param>
/// <param name="Loss">The epoch's loss: the batch losses averaged with each batch weighted by its size.</param>
/// <param name="GradientNorm">
/// The global gradient norm √(Σ‖g‖²) seen by each step's first loss evaluation, averaged over the epoch's steps; with
/// one batch per epoch, ‖∇L‖ at the point the step started from.
/// </param>
/// <param name="LearningRate">The optimizer's rate during the epoch.</param>
/// <param name="Metrics">The values of the caller's metrics after the epoch (empty when none were given).</param>
public sealed record EpochReport(int Epoch, double Loss, double GradientNorm, double LearningRate, IReadOnlyDictionary<string, double> Metrics);

/// <summary>Why <see cref="Trainer{T}"/> stopped.</summary>
public enum StopReason
{
    /// <summary>It ran <see cref="TrainerOptions.MaxEpochs"/> epochs.</summary>
    MaxEpochs,

    /// <summary>The gradient norm fell to <see cref="TrainerOptions.GradientTolerance"/>: a first-order stationarity test.</summary>
    GradientNormBelowTolerance,
}

/// <summary>The outcome of <see cref="Trainer{T}"/>'s <c>Fit</c>.</summary>
/// <param name="Epochs">How many epochs ran.</param>
/// <param name="StopReason">Why training stopped.</param>
/// <param name="LastEpoch">The report of the last epoch.</param>
public sealed record TrainingResult(int Epochs, StopReason StopReason, EpochReport LastEpoch);

/// <summary>When <see cref="Trainer{T}"/> stops.</summary>
public sealed record TrainerOptions
{
    /// <summary>The most epochs to run. Default 100.</summary>
    public int MaxEpochs { get; init; } = 100;

    /// <summary>Stop once an epoch's <see cref="EpochReport.GradientNorm"/> is at most this; 0 disables the test. Default 0.</summary>
    public double GradientTolerance { get; init; }
}
