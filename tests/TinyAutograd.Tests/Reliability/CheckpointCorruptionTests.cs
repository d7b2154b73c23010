using System.Buffers.Binary;
using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// A damaged or cut checkpoint never loads: each field of the format, changed, gives a CheckpointException that says
/// what is wrong and names the entry; exhaustively, no single changed byte and no truncation goes unnoticed.
/// </summary>
/// <remarks>
/// The offsets come from the documented layout: a 24-byte header (magic, version, entry count, file length), then per
/// entry a uint16 name length, the name, a type byte, a rank byte, int32 dimensions, the data and a 32-byte checksum,
/// then a 32-byte checksum of the file.
/// </remarks>
public sealed class CheckpointCorruptionTests : IDisposable
{
    private const int Header = 24;
    private const int Checksum = 32;
    private readonly TemporaryDirectory _directory = new();
    private readonly byte[] _bytes;

    public CheckpointCorruptionTests()
    {
        var checkpoint = new Checkpoint();
        checkpoint.AddTensor("weights", Tensor.FromArray([1.0, -2.0, 3.5, 0.25, 8.0, -0.5], 2, 3));
        checkpoint.AddInteger("epoch", 12);
        checkpoint.AddText("note", "ok");
        checkpoint.Save(_directory.File("good.ckpt"));
        _bytes = File.ReadAllBytes(_directory.File("good.ckpt"));
    }

    // Entry 0: "weights", float64 [2, 3]: name length at 24, name at 26, type at 33, rank at 34, dims at 35, data at 43, checksum at 91.
    private const int NameAt = Header + 2, TypeAt = NameAt + 7, RankAt = TypeAt + 1, DimensionsAt = RankAt + 1, DataAt = DimensionsAt + 8, EntryChecksumAt = DataAt + 48;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TheLayoutOffsetsUsedHereMatchTheFile()
    {
        Assert.Equal(7, BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(Header)));
        Assert.Equal("weights"u8.ToArray(), _bytes[NameAt..TypeAt]);
        Assert.Equal(2, _bytes[TypeAt]);
        Assert.Equal(2, _bytes[RankAt]);
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(DimensionsAt + 4)));
        Assert.Equal(-2.0, BinaryPrimitives.ReadDoubleLittleEndian(_bytes.AsSpan(DataAt + 8)));
        Assert.Equal(_bytes.Length, BinaryPrimitives.ReadInt64LittleEndian(_bytes.AsSpan(16)));
    }

    [Fact]
    public void ADamagedMagicIsNotACheckpoint()
    {
        var error = LoadDamaged(bytes => bytes[1] = (byte)'X');

        Assert.Equal(CheckpointProblem.NotACheckpoint, error.Problem);
        Assert.Contains("checkpoint signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATextModeLineEndingConversionIsNotACheckpoint()
    {
        var error = LoadBytes([.. _bytes[..4], (byte)'\n', .. _bytes[6..]]);

        Assert.Equal(CheckpointProblem.NotACheckpoint, error.Problem);
    }

    [Fact]
    public void AnotherVersionIsUnsupported()
    {
        var error = LoadDamaged(bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 2));

        Assert.Equal(CheckpointProblem.UnsupportedVersion, error.Problem);
        Assert.Contains("format version 2; this library reads version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADamagedNameFailsTheEntryChecksumAndShowsTheStoredName()
    {
        var error = LoadDamaged(bytes => bytes[NameAt + 1] = (byte)'a');

        Assert.Equal(CheckpointProblem.Corrupted, error.Problem);
        Assert.Equal("waights", error.EntryName);
        Assert.Contains("the checksum of entry 0 of 3 (stored name 'waights') does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownElementTypeIsCorruptionOfThatEntry()
    {
        var error = LoadDamaged(bytes => bytes[TypeAt] = 9);

        Assert.Equal(CheckpointProblem.Corrupted, error.Problem);
        Assert.Equal("weights", error.EntryName);
        Assert.Contains("unknown element type code 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherValidElementTypeIsCaughtAsCorruptionOfThatEntry()
    {
        var error = LoadDamaged(bytes => bytes[TypeAt] = 1);

        Assert.Equal(CheckpointProblem.Corrupted, error.Problem);
        Assert.Equal("weights", error.EntryName);
    }

    [Theory]
    [InlineData(DimensionsAt, 4)]
    [InlineData(DimensionsAt + 4, 200)]
    [InlineData(DimensionsAt + 3, 0x80)]
    [InlineData(RankAt, 3)]
    public void ADamagedShapeIsCorruptionOfThatEntry(int offset, byte value)
    {
        var error = LoadDamaged(bytes => bytes[offset] = value);

        Assert.Equal(CheckpointProblem.Corrupted, error.Problem);
        Assert.Equal("weights", error.EntryName);
    }

    [Fact]
    public void DamagedDataFailsTheChecksumOfItsEntry()
    {
        var error = LoadDamaged(bytes => bytes[DataAt + 20] ^= 0x04);

        Assert.Equal(CheckpointProblem.Corrupted, error.Problem);
        Assert.Equal("weights", error.EntryName);
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADamagedEntryChecksumNamesItsEntry()
    {
        var error = LoadDamaged(bytes => bytes[EntryChecksumAt + 31] ^= 0x80);

        Assert.Equal(CheckpointProblem.Corrupted, error.Problem);
        Assert.Equal("weights", error.EntryName);
    }

    [Fact]
    public void ADamagedFileChecksumIsCorruption()
    {
        var error = LoadDamaged(bytes => bytes[^1] ^= 0x01);

        Assert.Equal(CheckpointProblem.Corrupted, error.Problem);
        Assert.Null(error.EntryName);
        Assert.Contains("checksum of the whole file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADamagedEntryCountIsCorruption()
    {
        var fewer = LoadDamaged(bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 2));
        var more = LoadDamaged(bytes => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 4));

        Assert.Equal(CheckpointProblem.Corrupted, fewer.Problem);
        Assert.Equal(CheckpointProblem.Corrupted, more.Problem);
    }

    [Fact]
    public void ACutFileIsTruncatedAndExtraBytesAreCorruption()
    {
        var cut = LoadBytes(_bytes[..(_bytes.Length - 40)]);
        var extended = LoadBytes([.. _bytes, 0]);

        Assert.Equal(CheckpointProblem.Truncated, cut.Problem);
        Assert.Contains($"it holds {_bytes.Length - 40} bytes but its header records {_bytes.Length}", cut.Message, StringComparison.Ordinal);
        Assert.Equal(CheckpointProblem.Corrupted, extended.Problem);
    }

    [Fact]
    public void NoSingleChangedByteAnywhereGoesUnnoticed()
    {
        for (int offset = 0; offset < _bytes.Length; offset++)
        {
            foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])_bytes.Clone();
                damaged[offset] ^= mask;
                var error = Record.Exception(() => CheckpointReader.Read(new MemoryStream(damaged), "damaged"));
                Assert.True(error is CheckpointException, $"byte {offset} ^ 0x{mask:X2}: expected a CheckpointException, got {error?.GetType().Name ?? "a successful load"}");
            }
        }
    }

    [Fact]
    public void EveryTruncationIsReportedAsTruncated()
    {
        for (int length = 0; length < _bytes.Length; length++)
        {
            var error = Record.Exception(() => CheckpointReader.Read(new MemoryStream(_bytes[..length]), "cut"));
            var checkpointError = Assert.IsType<CheckpointException>(error);
            Assert.Equal(CheckpointProblem.Truncated, checkpointError.Problem);
        }
    }

    [Fact]
    public void TheUndamagedFileLoads()
    {
        var loaded = Checkpoint.Load(_directory.File("good.ckpt"));

        Assert.Equal(12, loaded.GetInteger("epoch"));
        Assert.Equal("ok", loaded.GetText("note"));
    }

    private CheckpointException LoadDamaged(Action<byte[]> damage)
    {
        var bytes = (byte[])_bytes.Clone();
        damage(bytes);
        return LoadBytes(bytes);
    }

    private CheckpointException LoadBytes(byte[] bytes)
    {
        string path = _directory.File("damaged.ckpt");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        return error;
    }
}
