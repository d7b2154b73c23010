using System.Numerics;
using TinyAutograd.Data;

namespace TinyAutograd.Optim;

/// <summary>
/// An optional training loop: runs epochs of optimizer steps, reports loss, gradient norm, rate and metrics after each
/// epoch, and stops after <see cref="TrainerOptions.MaxEpochs"/> or when the gradient norm is small. The hand-written
/// loop remains the first-class way; this one only saves typing.
/// </summary>
/// <remarks>
/// Every step goes through the closure form <see cref="Optimizer{T}.Step(Func{Tensor{T}})"/> (zero the gradients,
/// compute the loss, <c>Backward</c>), so every optimizer works, including Nesterov's look-ahead, L-BFGS and
/// Newton-CG. Drive schedules from the callback: <c>onEpoch: report =&gt; scheduler.Step()</c>; clip gradients in
/// <c>afterBackward</c>, which runs after every backward pass (so also inside L-BFGS's line search); the reported
/// gradient norm is the one before it. To resume a run, restore the parameters and the optimizer's state and set
/// <see cref="TrainerOptions.StartEpoch"/> to the next epoch: the data order continues as if there had been no stop.
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly IReadOnlyDictionary<string, double> NoMetrics = new Dictionary<string, double>();

    /// <summary>A trainer stepping <paramref name="optimizer"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The options are out of range.</exception>
    public Trainer(Optimizer<T> optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        Options = options ?? new TrainerOptions();
        if (Options.MaxEpochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.MaxEpochs, $"Trainer: MaxEpochs is {Options.MaxEpochs}; expected at least 1.");
        }
        if (Options.StartEpoch < 0 || Options.StartEpoch >= Options.MaxEpochs)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.StartEpoch, $"Trainer: StartEpoch is {Options.StartEpoch}; expected 0 to MaxEpochs − 1 = {Options.MaxEpochs - 1}.");
        }
        if (!(Options.GradientTolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.GradientTolerance, $"Trainer: GradientTolerance is {Options.GradientTolerance}; expected a value ≥ 0.");
        }
    }

    /// <summary>The optimizer stepped.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>When to stop.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Mini-batch training: one step per batch of <paramref name="data"/>, epoch after epoch.</summary>
    /// <param name="data">The batches; epoch e uses <c>data.Epoch(e)</c>.</param>
    /// <param name="loss">The loss of a batch, computed from the model's parameters.</param>
    /// <param name="onEpoch">Called after every epoch with its report.</param>
    /// <param name="metrics">Evaluated after every epoch (e.g. accuracy on held-out data); included in the report.</param>
    /// <param name="afterBackward">Called after every backward pass, before the optimizer uses the gradients (e.g. to clip them).</param>
    public TrainingResult Fit(DataLoader<T> data, Func<Batch<T>, Tensor<T>> loss, Action<EpochReport>? onEpoch = null,
        Func<IReadOnlyDictionary<string, double>>? metrics = null, Action? afterBackward = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        return Run(epoch => data.Epoch(epoch).Select(batch => (batch.Count, (Func<Tensor<T>>)(() => loss(batch)))), onEpoch, metrics, afterBackward);
    }

    /// <summary>Full-batch training (batch gradient descent): one step per epoch on the whole loss.</summary>
    /// <param name="loss">The loss over all the data, computed from the model's parameters.</param>
    /// <param name="onEpoch">Called after every epoch with its report.</param>
    /// <param name="metrics">Evaluated after every epoch; included in the report.</param>
    /// <param name="afterBackward">Called after every backward pass, before the optimizer uses the gradients (e.g. to clip them).</param>
    public TrainingResult Fit(Func<Tensor<T>> loss, Action<EpochReport>? onEpoch = null, Func<IReadOnlyDictionary<string, double>>? metrics = null,
        Action? afterBackward = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return Run(_ => [(1, loss)], onEpoch, metrics, afterBackward);
    }

    private TrainingResult Run(Func<int, IEnumerable<(int Count, Func<Tensor<T>> Loss)>> batchesOf, Action<EpochReport>? onEpoch,
        Func<IReadOnlyDictionary<string, double>>? metrics, Action? afterBackward)
    {
        EpochReport? report = null;
        for (int epoch = Options.StartEpoch; epoch < Options.MaxEpochs; epoch++)
        {
            double learningRate = Optimizer.LearningRate, lossSum = 0, normSum = 0;
            int examples = 0, steps = 0;
            foreach (var (count, batchLoss) in batchesOf(epoch))
            {
                double? norm = null;
                var value = Optimizer.Step(() =>
                {
                    Optimizer.ZeroGrad();
                    var result = batchLoss();
                    result.Backward();
                    norm ??= GradientClipping.GlobalNorm(Optimizer.Parameters);
                    afterBackward?.Invoke();
                    return result;
                });
                lossSum += double.CreateTruncating(value.ToScalar()) * count;
                normSum += norm ?? 0;
                examples += count;
                steps++;
            }
            report = new EpochReport(epoch, lossSum / examples, normSum / steps, learningRate, metrics?.Invoke() ?? NoMetrics);
            onEpoch?.Invoke(report);
            if (Options.GradientTolerance > 0 && report.GradientNorm <= Options.GradientTolerance)
            {
                return new TrainingResult(epoch + 1, StopReason.GradientNormBelowTolerance, report);
            }
        }
        return new TrainingResult(Options.MaxEpochs, StopReason.MaxEpochs, report!);
    }
}
