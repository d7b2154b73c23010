using System.Diagnostics;
using TinyAutograd.Data;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Datasets;
using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// The epochs of an image classifier's training, shared by the Fashion-MNIST examples: mini-batch Adam with cosine
/// decay of the step size, a progress bar per epoch, then the test loss and accuracy and the epoch's seconds.
/// </summary>
internal static class ClassifierTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> for <paramref name="epochs"/> passes over <paramref name="train"/> in shuffled
    /// batches, evaluating on <paramref name="test"/> (<paramref name="evaluationBatchSize"/> images at a time) after
    /// each; returns every epoch's figures and the last evaluation.
    /// </summary>
    public static (IReadOnlyList<TimedEpoch> History, Evaluation Final) Run(RunContext context, Layer<float> model, LabelledData train, LabelledData test,
        int epochs, int batchSize, double learningRate, int evaluationBatchSize)
    {
        var optimizer = new Adam<float>(model.Parameters(), new AdamOptions { LearningRate = learningRate });
        // Cosine annealing over the epochs: full steps early, small ones at the end so the last epoch settles.
        var schedule = new LearningRateScheduler(optimizer, new CosineDecay(learningRate, epochs, learningRate / 20));
        var loader = new DataLoader<float>(train.FeatureTensor(), train.Labels, batchSize, shuffle: true, seed: context.Seed);

        var history = new List<TimedEpoch>();
        Evaluation? final = null;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double trainLoss = double.NaN;
            context.WithProgress($"epoch {epoch + 1}/{epochs}", loader.BatchesPerEpoch, advance => trainLoss = Classification.TrainEpoch(model, optimizer, loader, epoch, advance));
            double seconds = clock.Elapsed.TotalSeconds;
            schedule.Step();
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
