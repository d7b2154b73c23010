using TinyAutograd.Data;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// How <see cref="ClassifierTraining"/> trains an image classifier: Adam's peak step size, a linear warm-up of the step
/// size followed by cosine decay (both per batch), label smoothing of the cross-entropy, and random augmentations of
/// the training images.
/// </summary>
/// <param name="LearningRate">Adam's peak step size α₀, reached at the end of the warm-up.</param>
/// <param name="LabelSmoothing">ε of the training cross-entropy (0: none); the test loss is always the plain cross-entropy.</param>
/// <param name="WarmupEpochs">The length of the linear warm-up, in epochs (0: none).</param>
/// <param name="Augmentations">Applied in order to every training batch, whose flat rows of H·W features are read as square grey images [N, 1, H, W].</param>
internal sealed record ClassifierRecipe(double LearningRate, double LabelSmoothing = 0, double WarmupEpochs = 0, IReadOnlyList<IImageAugmentation>? Augmentations = null)
{
    /// <summary>The step size's floor at the end of the cosine decay, as a fraction of <see cref="LearningRate"/>.</summary>
    private const double FinalRateFraction = 0.05;

    /// <summary>The schedule over <paramref name="totalSteps"/> batches: α₀·(t + 1)/(W + 1) for t &lt; W, then cosine from α₀ down to α₀/20.</summary>
    public ILearningRateSchedule Schedule(int totalSteps, int stepsPerEpoch)
    {
        int warmup = (int)Math.Round(WarmupEpochs * stepsPerEpoch);
        var decay = new CosineDecay(LearningRate, Math.Max(1, totalSteps - warmup), LearningRate * FinalRateFraction);
        return warmup > 0 ? new LinearWarmup(warmup, decay) : decay;
    }

    /// <summary>The features of a training batch after the augmentations, drawn from <paramref name="random"/> (the batch itself without any).</summary>
    public Tensor<float> Augment(Tensor<float> features, RandomSource random)
    {
        if (Augmentations is not { Count: > 0 })
        {
            return features;
        }
        int side = features.Rank == 2 ? (int)Math.Round(Math.Sqrt(features.Shape[1])) : 0;
        if (side == 0 || side * side != features.Shape[1])
        {
            throw new ArgumentException($"ClassifierRecipe.Augment: expected flat square grey images [N, H·H]; got features of shape {features.Shape}.", nameof(features));
        }
        var images = features.Reshape(features.Shape[0], 1, side, side);
        foreach (var augmentation in Augmentations)
        {
            images = augmentation.Apply(images, random);
        }
        return images;
    }
}
