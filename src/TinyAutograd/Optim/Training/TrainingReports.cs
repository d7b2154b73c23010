using System.Globalization;

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
public sealed record EpochReport(int Epoch, double Loss, double GradientNorm, double LearningRate, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The metrics; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IReadOnlyDictionary<string, double> Metrics { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Metrics);

    /// <summary>One line with every number, e.g. <c>epoch 3: loss 0.125, gradient norm 2.5, learning rate 0.01, accuracy 0.9375</c>.</summary>
    /// <remarks>Numbers are written in their shortest round-trip form, with the invariant culture.</remarks>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"epoch {Epoch}: loss {Loss}, gradient norm {GradientNorm}, learning rate {LearningRate}{string.Concat(Metrics.Select(pair => string.Create(CultureInfo.InvariantCulture, $", {pair.Key} {pair.Value}")))}");
}

/// <summary>Why <see cref="Trainer{T}"/> stopped.</summary>
public enum StopReason
{
    /// <summary>It ran <see cref="TrainerOptions.MaxEpochs"/> epochs.</summary>
    MaxEpochs,

    /// <summary>The gradient norm fell to <see cref="TrainerOptions.GradientTolerance"/>: a first-order stationarity test.</summary>
    GradientNormBelowTolerance,
}

/// <summary>The outcome of <see cref="Trainer{T}"/>'s <c>Fit</c>.</summary>
/// <param name="Epochs">The number of epochs completed, counted from epoch 0 (the last epoch's index + 1), including any before <see cref="TrainerOptions.StartEpoch"/>.</param>
/// <param name="StopReason">Why training stopped.</param>
/// <param name="LastEpoch">The report of the last epoch.</param>
public sealed record TrainingResult(int Epochs, StopReason StopReason, EpochReport LastEpoch)
{
    /// <summary>The report of the last epoch; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public EpochReport LastEpoch { get; init => field = Argument.NotNull(value); } = Argument.NotNull(LastEpoch);
}

/// <summary>When <see cref="Trainer{T}"/> stops.</summary>
public sealed record TrainerOptions
{
    /// <summary>The epoch to stop before, counted from 0 even when resuming (so at most this many epochs in all). Default 100.</summary>
    public int MaxEpochs { get; init; } = 100;

    /// <summary>
    /// The first epoch to run, to resume a run that stopped after epoch <c>StartEpoch − 1</c> (Keras' <c>initial_epoch</c>):
    /// epochs <c>StartEpoch</c> … <see cref="MaxEpochs"/> − 1 run, each with its own shuffle (<c>data.Epoch(e)</c>). Default 0.
    /// </summary>
    public int StartEpoch { get; init; }

    /// <summary>Stop once an epoch's <see cref="EpochReport.GradientNorm"/> is at most this; 0 disables the test. Default 0.</summary>
    public double GradientTolerance { get; init; }
}
