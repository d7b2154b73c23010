namespace TinyAutograd.Examples.Datasets;

/// <summary>
/// Fashion-MNIST (60,000 training and 10,000 test images of 28×28 clothes in 10 classes), read from where Debian's
/// <c>dataset-fashion-mnist</c> package installs it.
/// </summary>
internal static class FashionMnistData
{
    /// <summary>Where the Debian package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The command that installs the data.</summary>
    public const string InstallCommand = "sudo apt-get install dataset-fashion-mnist";

    private static readonly string[] s_classNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Whether the four files are present in <paramref name="directory"/> (gzipped or not).</summary>
    public static bool IsInstalled(string directory) =>
        new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .All(name => Locate(directory, name) is not null);

    /// <summary>
    /// Loads the training and test parts, or only their first <paramref name="trainLimit"/> and
    /// <paramref name="testLimit"/> images when given; pixel values 0..255 are scaled to [0, 1].
    /// </summary>
    public static (LabelledData Train, LabelledData Test) Load(string directory, int? trainLimit = null, int? testLimit = null) =>
        (Load(directory, "train", trainLimit), Load(directory, "t10k", testLimit));

    private static LabelledData Load(string directory, string part, int? limit)
    {
        var (imageDimensions, pixels) = IdxFile.ReadBytes(Require(directory, $"{part}-images-idx3-ubyte"), limit);
        var (labelDimensions, labelBytes) = IdxFile.ReadBytes(Require(directory, $"{part}-labels-idx1-ubyte"), limit);
        if (imageDimensions.Length != 3 || labelDimensions.Length != 1 || imageDimensions[0] != labelDimensions[0])
        {
            throw new InvalidDataException(
                $"Fashion-MNIST {part}: images of shape [{string.Join(", ", imageDimensions)}] and labels of shape [{string.Join(", ", labelDimensions)}]; " +
                "expected [N, 28, 28] and [N].");
        }
        var features = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            features[i] = pixels[i] / 255f;
        }
        return new LabelledData(features, Array.ConvertAll(labelBytes, b => (int)b), imageDimensions[1] * imageDimensions[2], s_classNames);
    }

    private static string Require(string directory, string name) =>
        Locate(directory, name) ?? throw new FileNotFoundException($"Fashion-MNIST: {name}(.gz) is not in {directory}; install it with: {InstallCommand}");

    private static string? Locate(string directory, string name) =>
        new[] { Path.Combine(directory, name + ".gz"), Path.Combine(directory, name) }.FirstOrDefault(File.Exists);
}
