using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TinyAutograd.Persistence;

/// <summary>Writes entries in the layout of <see cref="CheckpointLayout"/>, checksumming as it goes.</summary>
internal sealed class CheckpointWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly IncrementalHash _fileHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _entryHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private CheckpointWriter(Stream stream) => _stream = stream;

    /// <summary>Writes a whole checkpoint file holding <paramref name="entries"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<CheckpointEntry> entries)
    {
        CheckpointLayout.RequireLittleEndian();
        using var writer = new CheckpointWriter(stream);
        writer.WriteHeader(entries);
        foreach (var entry in entries)
        {
            writer.WriteEntry(entry);
        }
        writer._stream.Write(writer._fileHash.GetHashAndReset());
    }

    public void Dispose()
    {
        _fileHash.Dispose();
        _entryHash.Dispose();
    }

    private void WriteHeader(IReadOnlyList<CheckpointEntry> entries)
    {
        Span<byte> header = stackalloc byte[CheckpointLayout.HeaderSize];
        CheckpointLayout.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], CheckpointLayout.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)entries.Count);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], CheckpointLayout.FileLength(entries));
        Emit(header, inEntry: false);
    }

    private void WriteEntry(CheckpointEntry entry)
    {
        var name = CheckpointLayout.StrictUtf8.GetBytes(entry.Name);
        var dimensions = entry.Shape.Dimensions;
        var head = new byte[CheckpointLayout.EntryHeaderSize(name.Length, dimensions.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(head, (ushort)name.Length);
        name.CopyTo(head.AsSpan(sizeof(ushort)));
        int offset = sizeof(ushort) + name.Length;
        head[offset++] = (byte)entry.ElementType;
        head[offset++] = (byte)dimensions.Length;
        foreach (int dimension in dimensions)
        {
            BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(offset), dimension);
            offset += sizeof(int);
        }
        Emit(head, inEntry: true);
        int length = entry.Shape.Length;
        for (int start = 0; start < length; start += CheckpointLayout.ChunkElements)
        {
            Emit(CheckpointLayout.Bytes(entry.Values, start, Math.Min(CheckpointLayout.ChunkElements, length - start)), inEntry: true);
        }
        Emit(_entryHash.GetHashAndReset(), inEntry: false);
    }

    private void Emit(ReadOnlySpan<byte> bytes, bool inEntry)
    {
        _stream.Write(bytes);
        _fileHash.AppendData(bytes);
        if (inEntry)
        {
            _entryHash.AppendData(bytes);
        }
    }
}
