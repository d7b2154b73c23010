using System.Security.Cryptography;
using System.Text;
using TinyAutograd.Optim;
using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// A text entry whose bytes are not valid UTF-8, in a file whose checksums were recomputed to match (so only the
/// text itself is wrong), is refused at load with a <see cref="CheckpointException"/> naming the entry.
/// </summary>
public sealed class CheckpointTextEncodingTests
{
    private const int Header = 24, Checksum = 32;

    [Fact]
    public void AnInvalidUtf8TextIsACorruptedEntry()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("crafted.ckpt");
        var checkpoint = new Checkpoint();
        checkpoint.AddText("note", "AdZ(m");
        checkpoint.Save(path);
        WriteWithValidChecksums(path, "AdZ(m", [0x41, 0x64, 0xC3, 0x28, 0x6D]);

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path).GetText("note"));

        Assert.Equal(CheckpointProblem.Corrupted, error.Problem);
        Assert.Equal("note", error.EntryName);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidUtf8OptimizerMethodIsACorruptedEntry()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("crafted.ckpt");
        var weight = Tensor.Ones<double>(2).RequireGrad();
        var optimizer = new Adam<double>([weight]);
        var checkpoint = new Checkpoint();
        checkpoint.AddOptimizerState(optimizer.SaveState());
        checkpoint.Save(path);
        WriteWithValidChecksums(path, "Adam", [0x41, 0x64, 0xC3, 0x28]);

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path).Restore([KeyValuePair.Create("w", weight)], optimizer));

        Assert.Equal(CheckpointProblem.Corrupted, error.Problem);
        Assert.Equal("optimizer/method", error.EntryName);
    }

    /// <summary>
    /// Replaces the first entry's text <paramref name="text"/> (its data) with <paramref name="replacement"/> bytes of
    /// the same length, then recomputes that entry's checksum and the file's, as a crafted file would.
    /// </summary>
    private static void WriteWithValidChecksums(string path, string text, byte[] replacement)
    {
        var bytes = File.ReadAllBytes(path);
        var original = Encoding.UTF8.GetBytes(text);
        Assert.Equal(original.Length, replacement.Length);
        int nameBytes = bytes[Header] | (bytes[Header + 1] << 8);
        Assert.Equal(1, bytes[Header + 2 + nameBytes + 1]);
        int dataAt = Header + 2 + nameBytes + 2 + sizeof(int);
        Assert.Equal(original, bytes[dataAt..(dataAt + original.Length)]);
        replacement.CopyTo(bytes, dataAt);
        int entryChecksumAt = dataAt + original.Length;
        SHA256.HashData(bytes.AsSpan(Header, entryChecksumAt - Header), bytes.AsSpan(entryChecksumAt, Checksum));
        int fileChecksumAt = bytes.Length - Checksum;
        SHA256.HashData(bytes.AsSpan(0, fileChecksumAt), bytes.AsSpan(fileChecksumAt, Checksum));
        File.WriteAllBytes(path, bytes);
    }
}
