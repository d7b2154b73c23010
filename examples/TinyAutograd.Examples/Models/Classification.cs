using TinyAutograd.Data;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Datasets;
using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Models;

/// <summary>The training loop and the evaluation of a classifier, shared by the digit and clothing examples.</summary>
internal static class Classification
{
    /// <summary>
    /// One pass over the training data: for each mini-batch, zero the gradients, compute the cross-entropy of the
    /// logits, backward, step, inside a <see cref="TensorArena"/> so that the step's buffers are reused by the next.
    /// Returns the mean training loss; <paramref name="afterBatch"/>, if given, hears the running loss after each batch.
    /// With <paramref name="step"/>, the batch is augmented first, the loss is label-smoothed, and the learning-rate
    /// schedule advances after every step.
    /// </summary>
    public static double TrainEpoch(Layer<float> model, Optimizer<float> optimizer, DataLoader<float> loader, int epoch, Action<string>? afterBatch = null, TrainingStep? step = null)
    {
        double total = 0;
        int examples = 0;
        foreach (var batch in loader.Epoch(epoch))
        {
            using var arena = TensorArena.Begin();
            optimizer.ZeroGrad();
            var features = step is null ? batch.Features : step.Recipe.Augment(batch.Features, step.Random);
            var loss = Loss.CrossEntropy(model.Forward(features), batch.Labels, labelSmoothing: step?.Recipe.LabelSmoothing ?? 0);
            loss.Backward();
            optimizer.Step();
            step?.Schedule.Step();
            total += loss.ToScalar() * batch.Count;
            examples += batch.Count;
            afterBatch?.Invoke($"loss {Format.Fixed(total / examples, 4)}");
        }
        return total / examples;
    }

    /// <summary>
    /// The mean cross-entropy, the accuracy and the confusion matrix (rows: true class, columns: predicted) on
    /// <paramref name="data"/>, in evaluation mode (no dropout); the model's mode is restored afterwards.
    /// </summary>
    public static Evaluation Evaluate(Layer<float> model, LabelledData data, int batchSize = 2000)
    {
        using var noRecording = GradMode.Disable();
        bool training = model.IsTraining;
        model.Eval();
        int classes = data.ClassNames.Count;
        var confusion = new int[classes, classes];
        double loss = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var arena = TensorArena.Begin();
            int count = Math.Min(batchSize, data.Count - start);
            var features = Tensor.FromArray(data.Features.AsSpan(start * data.FeatureCount, count * data.FeatureCount).ToArray(), count, data.FeatureCount);
            var labels = data.Labels.AsSpan(start, count);
            var logits = model.Forward(features);
            loss += Loss.CrossEntropy(logits, labels, Reduction.Sum).ToScalar();
            for (int i = 0; i < count; i++)
            {
                int predicted = ArgMax(logits.Data.Slice(i * classes, classes));
                confusion[labels[i], predicted]++;
                correct += predicted == labels[i] ? 1 : 0;
            }
        }
        model.Train(training);
        return new Evaluation(loss / data.Count, (double)correct / data.Count, confusion);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}

/// <summary>What a training step needs beyond the model and the optimizer: the learning-rate schedule, the recipe and the augmentations' random source.</summary>
internal sealed record TrainingStep(LearningRateScheduler Schedule, ClassifierRecipe Recipe, RandomSource Random);

/// <summary>How a classifier did on a data set.</summary>
internal sealed record Evaluation(double Loss, double Accuracy, int[,] Confusion);
