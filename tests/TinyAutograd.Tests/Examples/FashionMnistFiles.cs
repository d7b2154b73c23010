using System.Buffers.Binary;
using System.IO.Compression;

namespace TinyAutograd.Tests.Examples;

/// <summary>Small Fashion-MNIST look-alikes (random pixels, labels cycling through the ten classes) in the Debian package's layout.</summary>
internal static class FashionMnistFiles
{
    /// <summary>Writes the four gzipped IDX files into a fresh folder; returns the folder.</summary>
    public static string Write(int trainCount, int testCount)
    {
        string folder = Directory.CreateTempSubdirectory("tinyautograd-fashion-").FullName;
        WriteImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"), trainCount, seed: 1);
        WriteLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), trainCount);
        WriteImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), testCount, seed: 2);
        WriteLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), testCount);
        return folder;
    }

    private static void WriteImages(string path, int count, int seed)
    {
        var pixels = new byte[count * 28 * 28];
        new Random(seed).NextBytes(pixels);
        WriteIdx(path, [count, 28, 28], pixels);
    }

    private static void WriteLabels(string path, int count) =>
        WriteIdx(path, [count], Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray());

    /// <summary>The IDX layout: 0, 0, 0x08 (unsigned bytes), the rank; each dimension as a big-endian int32; the bytes.</summary>
    private static void WriteIdx(string path, int[] dimensions, byte[] values)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write([0, 0, 0x08, (byte)dimensions.Length]);
        var word = new byte[4];
        foreach (int dimension in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, dimension);
            gzip.Write(word);
        }
        gzip.Write(values);
    }
}
