using System.Buffers.Binary;
using System.Text.Json;

namespace TinyAutograd.Distributed.Tests;

[Collection(MpiCollection.Name)]
public sealed class DistributedExampleTests
{
    [Fact]
    public void The_example_trains_on_two_ranks_to_the_loss_of_one_and_rank_0_prints_exactly_its_json()
    {
        string data = MpiRun.TemporaryDirectory();
        WriteImages(data, "train", 480, seed: 1);
        WriteImages(data, "t10k", 40, seed: 2);

        var run = MpiRun.Program(2, "TinyAutograd.Examples.dll",
            "distributed", "--data-dir", data, "--epochs", "1", "--batch-size", "8", "--json", "--out", MpiRun.TemporaryDirectory());

        Assert.True(run.ExitCode == 0, run.Output);
        // Standard output is the one JSON object of rank 0 and nothing else: no escape sequences, nothing from rank 1.
        using var document = JsonDocument.Parse(run.StandardOutput);
        var result = document.RootElement;
        Assert.Equal(2, result.GetProperty("ranks").GetInt32());
        Assert.True(result.GetProperty("samples_per_second").GetDouble() > 0);
        Assert.True(result.GetProperty("single_rank_samples_per_second").GetDouble() > 0);
        // The two sides alternated over the default three rounds; the speed-up reported is the median round's.
        Assert.Equal(3, result.GetProperty("rounds").GetInt32());
        var speedUps = result.GetProperty("round_speed_ups").EnumerateArray().Select(x => x.GetDouble()).Order().ToArray();
        Assert.Equal(3, speedUps.Length);
        Assert.Equal(speedUps[1], result.GetProperty("speed_up").GetDouble());
        Assert.InRange(result.GetProperty("test_accuracy").GetDouble(), 0, 1);
        // Both loops were timed only after at least 40 steps in a row without compilation.
        Assert.True(result.GetProperty("warm_up_steps").GetInt32() >= 40);
        Assert.True(result.GetProperty("single_rank_warm_up_steps").GetInt32() >= 40);
        // Each phase says how much of its time the thread waited for a processor and the runtime spent compiling.
        foreach (var times in result.GetProperty("per_rank_times").EnumerateArray().Append(result.GetProperty("single_rank_times")))
        {
            Assert.InRange(times.GetProperty("processor_wait").GetDouble(), 0, 1);
            Assert.True(times.GetProperty("compiling").GetDouble() >= 0);
        }
        // The same 30 steps of Adam on the same examples, in float: only the order of the additions differs.
        Assert.Equal(result.GetProperty("single_rank_final_loss").GetDouble(), result.GetProperty("final_loss").GetDouble(), 1e-4);
    }

    /// <summary>Writes random 28×28 images with labels 0 … 9 in the IDX format of Fashion-MNIST.</summary>
    private static void WriteImages(string directory, string part, int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 28 * 28];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(_ => (byte)random.Next(10)).ToArray();
        File.WriteAllBytes(Path.Combine(directory, $"{part}-images-idx3-ubyte"), [.. Header(3, count, 28, 28), .. pixels]);
        File.WriteAllBytes(Path.Combine(directory, $"{part}-labels-idx1-ubyte"), [.. Header(1, count), .. labels]);
    }

    private static byte[] Header(byte rank, params int[] dimensions)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = 0x08;
        header[3] = rank;
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dimensions[i]);
        }
        return header;
    }
}
