using System.Numerics;

namespace TinyAutograd.Data;

/// <summary>
/// A random change to a batch of training images that keeps their labels true (a shift, a mirror image), drawn anew
/// for every image each time it is seen, so that the model learns what does not depend on it.
/// </summary>
/// <remarks>
/// Augmentations are data preparation, not part of the model: they take plain images [N, C, H, W] (no gradient) and
/// return new ones of the same shape, drawing their random choices from the given <see cref="RandomSource"/> image by
/// image in order, so a seeded run is reproducible on any machine and with any number of threads. Apply them to
/// training batches only, never to the images a model is evaluated on.
/// </remarks>
public interface IImageAugmentation
{
    /// <summary>New images [N, C, H, W], each a randomly changed copy of the one at the same position of <paramref name="images"/>.</summary>
    /// <param name="images">The batch [N, C, H, W]; left unchanged.</param>
    /// <param name="random">The source of the random choices.</param>
    /// <exception cref="ArgumentException">The images are not [N, C, H, W], or they require a gradient (augmentation is not differentiable).</exception>
    Tensor<T> Apply<T>(Tensor<T> images, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
