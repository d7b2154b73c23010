using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TinyAutograd.Persistence;

/// <summary>
/// Reads and verifies a whole checkpoint file in the layout of <see cref="CheckpointLayout"/>: every field is checked
/// against what is possible, every checksum is compared, and the first problem is reported naming the entry it
/// belongs to. Nothing is returned unless the whole file is sound.
/// </summary>
internal sealed class CheckpointReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string _source;
    private readonly IncrementalHash _fileHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _entryHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private long _entriesEnd;

    private CheckpointReader(Stream stream, string source)
    {
        _stream = stream;
        _source = source;
    }

    /// <summary>Reads every entry of the checkpoint in <paramref name="stream"/> (seekable, positioned at its start).</summary>
    /// <param name="stream">The file's contents.</param>
    /// <param name="source">What the stream is, for messages (the file's path).</param>
    /// <exception cref="CheckpointException">The file is not a sound checkpoint of a supported version.</exception>
    public static List<CheckpointEntry> Read(Stream stream, string source)
    {
        CheckpointLayout.RequireLittleEndian();
        using var reader = new CheckpointReader(stream, source);
        try
        {
            return reader.ReadAll();
        }
        catch (EndOfStreamException error)
        {
            throw reader.Fail(CheckpointProblem.Truncated, null, "the file ended early while it was being read (was it changed meanwhile?)", error);
        }
    }

    public void Dispose()
    {
        _fileHash.Dispose();
        _entryHash.Dispose();
    }

    private List<CheckpointEntry> ReadAll()
    {
        int count = ReadHeader();
        var entries = new List<CheckpointEntry>(Math.Min(count, 1024));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int index = 0; index < count; index++)
        {
            var entry = ReadEntry(index, count);
            if (!names.Add(entry.Name))
            {
                throw Fail(CheckpointProblem.Corrupted, entry.Name, $"entry {index} repeats the name '{entry.Name}'");
            }
            entries.Add(entry);
        }
        if (_position != _entriesEnd)
        {
            throw Fail(CheckpointProblem.Corrupted, null,
                $"its {count} entries end at byte {_position} but its checksum starts at byte {_entriesEnd}; the entry count or the length in the header is damaged");
        }
        Span<byte> stored = stackalloc byte[CheckpointLayout.ChecksumSize];
        _stream.ReadExactly(stored);
        if (!stored.SequenceEqual(_fileHash.GetHashAndReset()))
        {
            throw Fail(CheckpointProblem.Corrupted, null, "the checksum of the whole file does not match: the header or the final checksum is damaged");
        }
        return entries;
    }

    /// <summary>Checks the magic, version and length; returns the entry count.</summary>
    private int ReadHeader()
    {
        Span<byte> header = stackalloc byte[CheckpointLayout.HeaderSize];
        int read = _stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        var magic = CheckpointLayout.Magic;
        int compared = Math.Min(read, magic.Length);
        if (!header[..compared].SequenceEqual(magic[..compared]))
        {
            throw Fail(CheckpointProblem.NotACheckpoint, null, "it does not start with the TinyAutograd checkpoint signature; it is not a checkpoint, or its first bytes are damaged");
        }
        if (read < header.Length)
        {
            throw Fail(CheckpointProblem.Truncated, null, $"it holds only {read} bytes, fewer than the {header.Length}-byte header");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != CheckpointLayout.Version)
        {
            throw Fail(CheckpointProblem.UnsupportedVersion, null,
                $"it has format version {version}; this library reads version {CheckpointLayout.Version}. It was written by another version of TinyAutograd, or its header is damaged");
        }
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        long declared = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        long actual = _stream.Length;
        if (declared < CheckpointLayout.HeaderSize + CheckpointLayout.ChecksumSize || count > int.MaxValue)
        {
            throw Fail(CheckpointProblem.Corrupted, null, $"its header records an impossible length ({declared} bytes) or entry count ({count}); the header is damaged");
        }
        if (actual < declared)
        {
            throw Fail(CheckpointProblem.Truncated, null, $"it holds {actual} bytes but its header records {declared}: it was cut short (an interrupted write or copy)");
        }
        if (actual > declared)
        {
            throw Fail(CheckpointProblem.Corrupted, null, $"it holds {actual - declared} bytes more than the {declared} its header records");
        }
        _fileHash.AppendData(header);
        _position = header.Length;
        _entriesEnd = declared - CheckpointLayout.ChecksumSize;
        return (int)count;
    }

    private CheckpointEntry ReadEntry(int index, int count)
    {
        string where = $"entry {index} of {count}";
        var nameLength = Take(sizeof(ushort), where, "name length");
        int nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(nameLength);
        if (nameBytes == 0)
        {
            throw Fail(CheckpointProblem.Corrupted, null, $"{where} has an empty name; the entry is damaged");
        }
        var rawName = Take(nameBytes, where, "name").ToArray();
        string storedName = Encoding.UTF8.GetString(rawName);
        where = $"entry {index} of {count} (stored name '{storedName}')";

        var typeAndRank = Take(2, where, "element type and rank", storedName);
        var type = (CheckpointElementType)typeAndRank[0];
        int rank = typeAndRank[1];
        if (!Enum.IsDefined(type))
        {
            throw Fail(CheckpointProblem.Corrupted, storedName, $"{where} has the unknown element type code {typeAndRank[0]}; the entry is damaged");
        }
        var dimensionBytes = Take(sizeof(int) * rank, where, "dimensions", storedName);
        var dimensions = new int[rank];
        for (int axis = 0; axis < rank; axis++)
        {
            dimensions[axis] = BinaryPrimitives.ReadInt32LittleEndian(dimensionBytes[(axis * sizeof(int))..]);
        }
        Shape shape;
        try
        {
            shape = new Shape(dimensions);
        }
        catch (ArgumentException error)
        {
            throw Fail(CheckpointProblem.Corrupted, storedName, $"{where} has the impossible shape [{string.Join(", ", dimensions)}]; the entry is damaged", error);
        }
        long dataBytes = (long)shape.Length * CheckpointEntry.ElementSize(type);
        if (dataBytes + CheckpointLayout.ChecksumSize > _entriesEnd - _position)
        {
            throw Fail(CheckpointProblem.Corrupted, storedName,
                $"{where} ({CheckpointEntry.Describe(type)}, shape {shape}) needs {dataBytes} bytes of data, more than the {_entriesEnd - _position - CheckpointLayout.ChecksumSize} left; its type or shape is damaged");
        }
        var values = CheckpointEntry.NewValues(type, shape.Length);
        for (int start = 0; start < shape.Length; start += CheckpointLayout.ChunkElements)
        {
            var chunk = CheckpointLayout.Bytes(values, start, Math.Min(CheckpointLayout.ChunkElements, shape.Length - start));
            _stream.ReadExactly(chunk);
            Hash(chunk, inEntry: true);
        }
        Span<byte> stored = stackalloc byte[CheckpointLayout.ChecksumSize];
        _stream.ReadExactly(stored);
        Hash(stored, inEntry: false);
        if (!stored.SequenceEqual(_entryHash.GetHashAndReset()))
        {
            throw Fail(CheckpointProblem.Corrupted, storedName, $"the checksum of {where} does not match: its name, type, shape, data or checksum is damaged");
        }
        string name;
        try
        {
            name = CheckpointLayout.StrictUtf8.GetString(rawName);
        }
        catch (DecoderFallbackException error)
        {
            throw Fail(CheckpointProblem.Corrupted, storedName, $"{where} has a name that is not valid UTF-8", error);
        }
        if (type == CheckpointElementType.Utf8 && !System.Text.Unicode.Utf8.IsValid((byte[])values))
        {
            throw Fail(CheckpointProblem.Corrupted, name, $"{where} is a text whose bytes are not valid UTF-8");
        }
        return new CheckpointEntry(name, type, shape, values);
    }

    /// <summary>Reads the next <paramref name="count"/> bytes of the current entry, refusing to run past the entries' end.</summary>
    private ReadOnlySpan<byte> Take(int count, string where, string field, string? entry = null)
    {
        if (count > _entriesEnd - _position)
        {
            throw Fail(CheckpointProblem.Corrupted, entry,
                $"{where}: its {field} ({count} bytes) runs past the end of the entries; the entry count or a size field is damaged");
        }
        var bytes = new byte[count];
        _stream.ReadExactly(bytes);
        Hash(bytes, inEntry: true);
        return bytes;
    }

    private void Hash(ReadOnlySpan<byte> bytes, bool inEntry)
    {
        _position += bytes.Length;
        _fileHash.AppendData(bytes);
        if (inEntry)
        {
            _entryHash.AppendData(bytes);
        }
    }

    private CheckpointException Fail(CheckpointProblem problem, string? entry, string reason, Exception? inner = null) =>
        new(problem, entry, $"Checkpoint '{_source}': {reason}.", inner);
}
