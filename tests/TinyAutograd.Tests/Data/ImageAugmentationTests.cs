using TinyAutograd.Data;

namespace TinyAutograd.Tests.Data;

/// <summary>
/// Random crop with padding and random horizontal flip, checked image by image against the definitions written out
/// with plain indices: every output is one of the allowed shifts (or the mirror image) of its input, every allowed
/// choice happens, and the same seed gives the same batch.
/// </summary>
public sealed class ImageAugmentationTests
{
    /// <summary>Images [N, C, H, W] whose pixels are all distinct and non-zero, so a shift or mirror is recognized without ambiguity.</summary>
    private static Tensor<double> DistinctImages(int count, int channels, int height, int width) =>
        Tensor.FromArray(Enumerable.Range(1, count * channels * height * width).Select(i => (double)i).ToArray(), count, channels, height, width);

    /// <summary>Image n of <paramref name="images"/> shifted by (dy, dx): y[c, i, j] = x[c, i + dy, j + dx] where that pixel exists, else 0.</summary>
    private static double[] Shifted(Tensor<double> images, int n, int dy, int dx)
    {
        int channels = images.Shape[1], height = images.Shape[2], width = images.Shape[3];
        var result = new double[channels * height * width];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < height; i++)
            {
                for (int j = 0; j < width; j++)
                {
                    bool inside = i + dy >= 0 && i + dy < height && j + dx >= 0 && j + dx < width;
                    result[(c * height + i) * width + j] = inside ? images[n, c, i + dy, j + dx] : 0;
                }
            }
        }
        return result;
    }

    /// <summary>Image n of <paramref name="images"/> mirrored: y[c, i, j] = x[c, i, W − 1 − j].</summary>
    private static double[] Mirrored(Tensor<double> images, int n)
    {
        int channels = images.Shape[1], height = images.Shape[2], width = images.Shape[3];
        var result = new double[channels * height * width];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < height; i++)
            {
                for (int j = 0; j < width; j++)
                {
                    result[(c * height + i) * width + j] = images[n, c, i, width - 1 - j];
                }
            }
        }
        return result;
    }

    private static double[] Image(Tensor<double> images, int n)
    {
        int size = images.Length / images.Shape[0];
        return images.Data.Slice(n * size, size).ToArray();
    }

    [Theory]
    [InlineData(1, 3, 5, 1)]
    [InlineData(2, 1, 4, 7)]
    [InlineData(3, 2, 6, 6)]
    public void RandomCrop_ShiftsEachImageByAnAllowedOffset_AndUsesThemAll(int padding, int channels, int height, int width)
    {
        const int count = 1000;
        var images = DistinctImages(count, channels, height, width);

        var cropped = new RandomCrop(padding).Apply(images, new RandomSource(11));

        Assert.Equal(images.Shape, cropped.Shape);
        var offsets = new HashSet<(int, int)>();
        for (int n = 0; n < count; n++)
        {
            var output = Image(cropped, n);
            var matches = (from dy in Enumerable.Range(-padding, 2 * padding + 1)
                           from dx in Enumerable.Range(-padding, 2 * padding + 1)
                           where Shifted(images, n, dy, dx).SequenceEqual(output)
                           select (dy, dx)).ToList();
            Assert.True(matches.Count >= 1, $"image {n} is no shift of its input by at most {padding} pixels");
            offsets.UnionWith(matches);
        }
        // 1000 images over at most 49 equally likely offsets: one is missed with probability below 49·(48/49)¹⁰⁰⁰ ≈ 6e-8.
        int possible = (2 * padding + 1) * (2 * padding + 1);
        Assert.Equal(possible, offsets.Count);
        Assert.Equal(images.ToArray(), DistinctImages(count, channels, height, width).ToArray());
    }

    [Fact]
    public void RandomCrop_WithoutPadding_CopiesTheImages()
    {
        var images = DistinctImages(4, 2, 3, 5);
        Assert.Equal(images.ToArray(), new RandomCrop(0).Apply(images, new RandomSource(3)).ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void RandomHorizontalFlip_MirrorsEachImageOrKeepsIt_AtTheGivenRate(double probability)
    {
        const int count = 400;
        var images = DistinctImages(count, 2, 3, 4);

        var flipped = new RandomHorizontalFlip(probability).Apply(images, new RandomSource(5));

        Assert.Equal(images.Shape, flipped.Shape);
        int mirrored = 0;
        for (int n = 0; n < count; n++)
        {
            var output = Image(flipped, n);
            bool isMirror = Mirrored(images, n).SequenceEqual(output);
            Assert.True(isMirror || Image(images, n).SequenceEqual(output), $"image {n} is neither its input nor its mirror image");
            mirrored += isMirror ? 1 : 0;
        }
        // Binomial(400, p): the standard deviation is at most 10, so ±50 is five of them.
        Assert.InRange(mirrored, probability * count - 50, probability * count + 50);
    }

    [Fact]
    public void TheSameSeed_GivesTheSameBatch_AndAnotherSeedAnotherOne()
    {
        var images = DistinctImages(50, 1, 6, 6);
        IImageAugmentation[] augmentations = [new RandomCrop(2), new RandomHorizontalFlip()];
        foreach (var augmentation in augmentations)
        {
            Assert.Equal(augmentation.Apply(images, new RandomSource(9)).ToArray(), augmentation.Apply(images, new RandomSource(9)).ToArray());
            Assert.NotEqual(augmentation.Apply(images, new RandomSource(9)).ToArray(), augmentation.Apply(images, new RandomSource(10)).ToArray());
        }
    }

    [Fact]
    public void BadImagesAndSettings_AreRefusedByName()
    {
        var random = new RandomSource(1);
        IImageAugmentation[] augmentations = [new RandomCrop(1), new RandomHorizontalFlip()];
        foreach (var augmentation in augmentations)
        {
            string name = augmentation.GetType().Name;
            var flat = Assert.Throws<ArgumentException>(() => augmentation.Apply(Tensor.Ones<double>(2, 9), random));
            Assert.Contains(name, flat.Message, StringComparison.Ordinal);
            Assert.Contains("[N, C, H, W]", flat.Message, StringComparison.Ordinal);
            Assert.Contains("[2, 9]", flat.Message, StringComparison.Ordinal);
            var tracked = Assert.Throws<ArgumentException>(() => augmentation.Apply(Tensor.Ones<double>(1, 1, 2, 2).RequireGrad(), random));
            Assert.Contains(name, tracked.Message, StringComparison.Ordinal);
            Assert.Contains("not differentiable", tracked.Message, StringComparison.Ordinal);
        }
        Assert.Contains("RandomCrop", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomCrop(-1)).Message, StringComparison.Ordinal);
        Assert.Contains("RandomHorizontalFlip", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomHorizontalFlip(1.5)).Message, StringComparison.Ordinal);
    }
}
