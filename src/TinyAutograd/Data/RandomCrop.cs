using System.Numerics;

namespace TinyAutograd.Data;

/// <summary>
/// Random crop with padding: each image is surrounded by <see cref="Padding"/> rows and columns of zeros, and a window of
/// its original size is cut out at a random position, which shifts it by up to <see cref="Padding"/> pixels each way.
/// </summary>
/// <remarks>
/// <para>
/// For an image x of size H×W and offsets (dy, dx) drawn uniformly from {0, …, 2p}:
/// yᶜ[i, j] = xᶜ[i + dy − p, j + dx − p] where that pixel exists and 0 elsewhere (the same offsets for all channels).
/// The offsets are drawn per image, dy then dx, in batch order.
/// </para>
/// <para>
/// The translation augmentation of Krizhevsky, Sutskever and Hinton (2012, "ImageNet Classification with Deep
/// Convolutional Neural Networks"), as torchvision's <c>RandomCrop(size, padding=p)</c> with zero fill.
/// </para>
/// </remarks>
/// <param name="padding">p: the zero rows and columns added on every side, the largest shift (0 or more).</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="padding"/> is negative.</exception>
public sealed class RandomCrop(int padding) : IImageAugmentation
{
    /// <summary>p: the zero rows and columns added on every side, the largest shift.</summary>
    public int Padding { get; } = padding >= 0 ? padding
        : throw new ArgumentOutOfRangeException(nameof(padding), padding, $"RandomCrop: padding {padding} is negative; expected 0 or more pixels.");

    /// <inheritdoc/>
    public Tensor<T> Apply<T>(Tensor<T> images, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ImageBatch.Require(images, random, "RandomCrop");
        int count = images.Shape[0], channels = images.Shape[1], height = images.Shape[2], width = images.Shape[3];
        var source = images.Data;
        var result = new T[source.Length];
        for (int n = 0; n < count; n++)
        {
            int shiftY = random.NextInt(2 * Padding + 1) - Padding;
            int shiftX = random.NextInt(2 * Padding + 1) - Padding;
            // Output rows i and columns j whose source pixel (i + shiftY, j + shiftX) exists; the rest stay zero.
            int rowStart = Math.Max(0, -shiftY), rowEnd = Math.Min(height, height - shiftY);
            int columnStart = Math.Max(0, -shiftX), columnEnd = Math.Min(width, width - shiftX);
            for (int c = 0; c < channels; c++)
            {
                int plane = (n * channels + c) * height * width;
                for (int i = rowStart; i < rowEnd; i++)
                {
                    int from = plane + (i + shiftY) * width + columnStart + shiftX;
                    source.Slice(from, columnEnd - columnStart).CopyTo(result.AsSpan(plane + i * width + columnStart));
                }
            }
        }
        return Tensor.FromArray(result, images.Shape.ToArray());
    }
}
