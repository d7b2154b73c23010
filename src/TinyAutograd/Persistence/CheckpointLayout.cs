using System.Runtime.InteropServices;
using System.Text;

namespace TinyAutograd.Persistence;

/// <summary>
/// The binary layout of a checkpoint file, version 1. Every number is little-endian.
/// </summary>
/// <remarks>
/// <code language="text">
/// header   magic      8 bytes   0x89 'T' 'A' 'G' '\r' '\n' 0x1A '\n'
///          version    uint32    1
///          entries    uint32    number of entries
///          length     int64     length of the whole file in bytes
/// entry    name       uint16 byte count (≥ 1), then the name in UTF-8
///          type       uint8     1 float32, 2 float64, 3 int64, 4 UTF-8 text
///          rank       uint8     then rank × int32 dimensions (a valid <see cref="Shape"/>)
///          data       element count × element size bytes, row-major
///          checksum   32 bytes  SHA-256 of the entry from its name's byte count to the end of its data
/// trailer  checksum   32 bytes  SHA-256 of every byte before it
/// </code>
/// The magic's first byte is not ASCII and it holds CR LF and LF, so text-mode transfers that rewrite bytes are caught
/// at once. The recorded length tells a file that was cut short from one whose fields were damaged; the per-entry
/// checksums name the entry that was damaged; the trailing checksum covers the header and the order of entries.
/// </remarks>
internal static class CheckpointLayout
{
    /// <summary>The format version this library writes and reads.</summary>
    public const uint Version = 1;

    /// <summary>Bytes in the fixed header: magic, version, entry count, file length.</summary>
    public const int HeaderSize = 24;

    /// <summary>Bytes in a SHA-256 checksum.</summary>
    public const int ChecksumSize = 32;

    /// <summary>Elements per chunk when copying data, so that no byte count overflows an <see cref="int"/>.</summary>
    public const int ChunkElements = 1 << 16;

    /// <summary>The first eight bytes of every checkpoint file.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'T', (byte)'A', (byte)'G', (byte)'\r', (byte)'\n', 0x1A, (byte)'\n'];

    /// <summary>Strict UTF-8: invalid bytes throw instead of becoming replacement characters.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The length of the file that holds <paramref name="entries"/>.</summary>
    public static long FileLength(IReadOnlyList<CheckpointEntry> entries)
    {
        long length = HeaderSize + ChecksumSize;
        foreach (var entry in entries)
        {
            length += EntryHeaderSize(StrictUtf8.GetByteCount(entry.Name), entry.Shape.Rank)
                + (long)entry.Shape.Length * CheckpointEntry.ElementSize(entry.ElementType) + ChecksumSize;
        }
        return length;
    }

    /// <summary>Bytes of an entry before its data: name byte count, name, type, rank, dimensions.</summary>
    public static int EntryHeaderSize(int nameBytes, int rank) => sizeof(ushort) + nameBytes + 2 + sizeof(int) * rank;

    /// <summary>The bytes of elements [start, start + count) of a float[], double[], long[] or byte[].</summary>
    public static Span<byte> Bytes(Array values, int start, int count) => values switch
    {
        float[] floats => MemoryMarshal.AsBytes(floats.AsSpan(start, count)),
        double[] doubles => MemoryMarshal.AsBytes(doubles.AsSpan(start, count)),
        long[] longs => MemoryMarshal.AsBytes(longs.AsSpan(start, count)),
        byte[] bytes => bytes.AsSpan(start, count),
        _ => throw new ArgumentException($"Checkpoint: unsupported value array {values.GetType().Name}.", nameof(values)),
    };

    /// <summary>Refuses to run on a big-endian machine, where the in-memory bytes are not the file's bytes.</summary>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian.</exception>
    public static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoint: the file format is little-endian and this machine is big-endian; checkpoints are not supported here.");
        }
    }
}
