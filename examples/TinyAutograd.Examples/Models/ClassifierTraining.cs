using System.Diagnostics;
using TinyAutograd.Data;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Datasets;
using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// The epochs of an image classifier's training, shared by the Fashion-MNIST examples: mini-batch Adam under a
/// <see cref="ClassifierRecipe"/> (warm-up and cosine decay of the step size per batch, label smoothing, augmentations),
/// a progress bar per epoch, then the test loss and accuracy and the epoch's seconds.
/// </summary>
internal static class ClassifierTraining
{
    /// <summary>Mixed into the run's seed for the augmentations' draws, so they do not repeat the shuffles' or the initialization's.</summary>
    private const ulong AugmentationSeed = 0xA5A5_0F0F_3C3C_9696UL;

    /// <summary>
    /// Trains <paramref name="model"/> for <paramref name="epochs"/> passes over <paramref name="train"/> in shuffled
    /// batches, evaluating on <paramref name="test"/> (<paramref name="evaluationBatchSize"/> images at a time) after
    /// each; returns every epoch's figures and the last evaluation.
    /// </summary>
    public static (IReadOnlyList<TimedEpoch> History, Evaluation Final) Run(RunContext context, Layer<float> model, LabelledData train, LabelledData test,
        int epochs, int batchSize, ClassifierRecipe recipe, int evaluationBatchSize)
    {
        var optimizer = new Adam<float>(model.Parameters(), new AdamOptions { LearningRate = recipe.LearningRate });
        var loader = new DataLoader<float>(train.FeatureTensor(), train.Labels, batchSize, shuffle: true, seed: context.Seed);
        // Per batch: full steps early, small ones at the end so the last epoch settles.
        var schedule = new LearningRateScheduler(optimizer, recipe.Schedule(epochs * loader.BatchesPerEpoch, loader.BatchesPerEpoch));
        var step = new TrainingStep(schedule, recipe, new RandomSource(context.Seed ^ AugmentationSeed));

        var history = new List<TimedEpoch>();
        Evaluation? final = null;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double trainLoss = double.NaN;
            context.WithProgress($"epoch {epoch + 1}/{epochs}", loader.BatchesPerEpoch, advance => trainLoss = Classification.TrainEpoch(model, optimizer, loader, epoch, advance, step));
            double seconds = clock.Elapsed.TotalSeconds;
            final = Classification.Evaluate(model, test, evaluationBatchSize);
            history.Add(new TimedEpoch(epoch + 1, trainLoss, final.Loss, final.Accuracy, seconds));
            context.Say($"epoch {epoch + 1}: training loss {Format.Fixed(trainLoss, 4)}, test loss {Format.Fixed(final.Loss, 4)}, " +
                $"test accuracy {Format.Percent(final.Accuracy)}, {Format.Fixed(seconds, 1)} s ({Format.Integer((long)(train.Count / seconds))} images/s)");
        }
        return (history, final!);
    }
}

/// <summary>The figures of one epoch and the seconds its training took.</summary>
internal sealed record TimedEpoch(int Epoch, double TrainLoss, double TestLoss, double TestAccuracy, double Seconds);
