using System.Buffers.Binary;
using System.IO.Compression;

namespace TinyAutograd.Tests.Examples;

public sealed class FashionMnistDemoTests
{
    [Fact]
    public void Without_the_data_it_says_how_to_install_it()
    {
        string empty = Directory.CreateTempSubdirectory("tinyautograd-no-fashion-").FullName;

        var (json, _) = ExampleRun.Json("fashion-mnist", "--data-dir", empty);

        ExampleRun.HasKeys(json, "test_accuracy", "epochs", "seconds");
        Assert.False(json.GetProperty("available").GetBoolean());
        Assert.Contains("apt-get install dataset-fashion-mnist", json.GetProperty("install").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("test_accuracy").ValueKind);
    }

    [Fact]
    public void Trains_on_IDX_files_in_the_Debian_layout()
    {
        string folder = Directory.CreateTempSubdirectory("tinyautograd-fashion-").FullName;
        WriteImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"), 40, seed: 1);
        WriteLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), 40);
        WriteImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), 20, seed: 2);
        WriteLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), 20);

        var (json, directory) = ExampleRun.Json("fashion-mnist", "--data-dir", folder, "--epochs", "2", "--batch-size", "16", "--train-limit", "32", "--test-limit", "15");

        ExampleRun.HasKeys(json, "test_accuracy", "epochs", "seconds");
        Assert.True(json.GetProperty("available").GetBoolean());
        Assert.Equal(2, json.GetProperty("epochs").GetInt32());
        Assert.Equal(32, json.GetProperty("train_examples").GetInt32());
        Assert.InRange(json.GetProperty("test_accuracy").GetDouble(), 0, 1);
        Assert.True(json.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(15, json.GetProperty("confusion").EnumerateArray().Sum(row => row.EnumerateArray().Sum(c => c.GetInt32())));
        ExampleRun.HasValidPictures(json, directory);
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
