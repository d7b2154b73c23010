using System.Buffers.Binary;
using System.IO.Compression;

namespace TinyAutograd.Examples.Datasets;

/// <summary>
/// Reads the IDX format of (Fashion-)MNIST: a magic number whose third byte is the element type (0x08 = unsigned
/// byte) and fourth the number of dimensions, the dimensions as big-endian 32-bit integers, then the bytes.
/// Files ending in <c>.gz</c> are decompressed on the fly.
/// </summary>
internal static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>
    /// The dimensions and the raw bytes of an IDX file of unsigned bytes, reading only the first
    /// <paramref name="limit"/> items along the first axis when a limit is given (the dimensions then say so).
    /// </summary>
    public static (int[] Dimensions, byte[] Values) ReadBytes(string path, int? limit = null)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> word = stackalloc byte[4];
        stream.ReadExactly(word);
        if (word[0] != 0 || word[1] != 0 || word[2] != UnsignedByte || word[3] is 0 or > 4)
        {
            throw new InvalidDataException(
                $"IDX file {path}: magic bytes {word[0]:x2} {word[1]:x2} {word[2]:x2} {word[3]:x2}; expected 00 00 08 and 1 to 4 dimensions.");
        }
        var dimensions = new int[word[3]];
        long count = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            stream.ReadExactly(word);
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (i == 0 && limit is { } most)
            {
                dimensions[0] = Math.Min(dimensions[0], most);
            }
            count *= dimensions[i];
        }
        var values = new byte[count];
        stream.ReadExactly(values);
        return (dimensions, values);
    }
}
