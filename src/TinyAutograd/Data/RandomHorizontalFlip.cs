using System.Numerics;

namespace TinyAutograd.Data;

/// <summary>Random horizontal flip: each image is mirrored left to right with probability <see cref="Probability"/>.</summary>
/// <remarks>
/// <para>
/// For an image x of width W, mirrored when a uniform draw u ∈ [0, 1) falls below p: yᶜ[i, j] = xᶜ[i, W − 1 − j];
/// otherwise y = x. One draw per image, in batch order.
/// </para>
/// <para>
/// The reflection augmentation of Krizhevsky, Sutskever and Hinton (2012, "ImageNet Classification with Deep
/// Convolutional Neural Networks"), as torchvision's <c>RandomHorizontalFlip(p)</c>. Use it only where a mirrored
/// image keeps its label (clothing, natural scenes; not digits or text).
/// </para>
/// </remarks>
/// <param name="probability">p: the probability that an image is mirrored, in [0, 1].</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1].</exception>
public sealed class RandomHorizontalFlip(double probability = 0.5) : IImageAugmentation
{
    /// <summary>p: the probability that an image is mirrored.</summary>
    public double Probability { get; } = probability is >= 0 and <= 1 ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), probability, $"RandomHorizontalFlip: probability {probability} is outside [0, 1].");

    /// <inheritdoc/>
    public Tensor<T> Apply<T>(Tensor<T> images, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ImageBatch.Require(images, random, "RandomHorizontalFlip");
        int count = images.Shape[0], rows = images.Shape[1] * images.Shape[2], width = images.Shape[3];
        var result = images.Data.ToArray();
        for (int n = 0; n < count; n++)
        {
            if (random.NextDouble() < Probability)
            {
                for (int row = n * rows; row < (n + 1) * rows; row++)
                {
                    result.AsSpan(row * width, width).Reverse();
                }
            }
        }
        return Tensor.FromArray(result, images.Shape.ToArray());
    }
}
