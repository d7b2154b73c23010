using System.Numerics;

namespace TinyAutograd.Data;

/// <summary>The checks every <see cref="IImageAugmentation"/> makes of the batch it is given.</summary>
internal static class ImageBatch
{
    /// <summary>Refuses anything but plain images [N, C, H, W] and a random source, naming <paramref name="augmentation"/>.</summary>
    public static void Require<T>(Tensor<T> images, RandomSource random, string augmentation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(random);
        if (images.Rank != 4)
        {
            throw new ArgumentException($"{augmentation}: expected images of shape [N, C, H, W]; got shape {images.Shape}.", nameof(images));
        }
        if (images.RequiresGrad)
        {
            throw new ArgumentException(
                $"{augmentation}: the images (shape {images.Shape}) require a gradient, but augmentation is data preparation and is not differentiable; " +
                "augment the data before it enters the model.", nameof(images));
        }
    }
}
