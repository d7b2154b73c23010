using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json;
using TinyAutograd.Persistence;

namespace TinyAutograd.Nn;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face's), in which PyTorch, JAX and others exchange weights.
/// </summary>
/// <remarks>
/// <para>
/// A file is: an unsigned 64-bit little-endian header length N; N bytes of UTF-8 JSON mapping each tensor's name to
/// <c>{"dtype": "F32"|"F64", "shape": [..], "data_offsets": [begin, end]}</c>, plus an optional <c>"__metadata__"</c>
/// object of text; then the data: each tensor's elements, row-major, little-endian, at bytes [begin, end) counted from
/// the end of the header. The writer pads the header with spaces to a multiple of 8 bytes and lays the tensors out in
/// order without gaps, and writes <c>__metadata__</c> only when there is some.
/// </para>
/// <para>
/// The reader checks everything before returning: the header length fits the file, every entry has a supported
/// dtype, a non-negative shape and offsets whose span is exactly the shape's size, and the tensors cover the data
/// without holes or overlaps (as the format requires). F32, F64 and I64 are read, converted to the element type asked
/// for (float64 values read as float round to nearest; I64 holds counters such as BatchNorm's num_batches_tracked);
/// other dtypes (F16, BF16, other integers) are reported by name.
/// </para>
/// </remarks>
public static class Safetensors
{
    private const string MetadataKey = "__metadata__";
    private const int MaximumHeaderBytes = 100_000_000;

    /// <summary>Writes the tensors and optional text metadata to <paramref name="path"/>, replacing any file there only once the new one is complete.</summary>
    /// <exception cref="ArgumentException">A name is empty, repeated or is <c>__metadata__</c>.</exception>
    public static void Save<T>(string path, IEnumerable<KeyValuePair<string, Tensor<T>>> tensors, IEnumerable<KeyValuePair<string, string>>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Encode(tensors, metadata);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The file's bytes for the tensors and optional text metadata.</summary>
    /// <exception cref="ArgumentException">A name is empty, repeated or is <c>__metadata__</c>.</exception>
    public static byte[] Encode<T>(IEnumerable<KeyValuePair<string, Tensor<T>>> tensors, IEnumerable<KeyValuePair<string, string>>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        int elementSize = typeof(T) == typeof(float) ? sizeof(float) : sizeof(double);
        var header = new MemoryStream();
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            var entries = metadata?.ToList() ?? [];
            if (entries.Count > 0)
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in entries)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in list)
            {
                ArgumentException.ThrowIfNullOrEmpty(name, nameof(tensors));
                ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
                if (name == MetadataKey || !names.Add(name))
                {
                    throw new ArgumentException($"Safetensors: the name '{name}' is {(name == MetadataKey ? "reserved" : "given twice")}.", nameof(tensors));
                }
                json.WriteStartObject(name);
                json.WriteString("dtype", elementSize == sizeof(float) ? "F32" : "F64");
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape.Dimensions)
                {
                    json.WriteNumberValue(dimension);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += (long)tensor.Length * elementSize;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        while (header.Length % 8 != 0)
        {
            header.WriteByte((byte)' ');
        }
        var output = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        output.Write(length);
        header.Position = 0;
        header.CopyTo(output);
        Span<byte> element = stackalloc byte[8];
        foreach (var (_, tensor) in list)
        {
            foreach (var value in tensor.Data)
            {
                if (elementSize == sizeof(float))
                {
                    BinaryPrimitives.WriteSingleLittleEndian(element, float.CreateTruncating(value));
                }
                else
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(element, double.CreateTruncating(value));
                }
                output.Write(element[..elementSize]);
            }
        }
        return output.ToArray();
    }

    /// <summary>Reads a safetensors file: its tensors, in header order, converted to <typeparamref name="T"/>, and its metadata.</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors, or holds a dtype other than F32 and F64.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static StateDict<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Decode<T>(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads the bytes of a safetensors file (<paramref name="source"/> names it in errors).</summary>
    /// <exception cref="InvalidDataException">The bytes are not valid safetensors, or hold a dtype other than F32 and F64.</exception>
    public static StateDict<T> Decode<T>(ReadOnlySpan<byte> file, string source = "safetensors data")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(source);
        if (file.Length < 8)
        {
            throw Invalid(source, $"it has {file.Length} bytes, fewer than the 8 of the header length");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)Math.Min(file.Length - 8, MaximumHeaderBytes))
        {
            throw Invalid(source, $"the header length {headerLength} exceeds the {file.Length - 8} bytes after it (or the {MaximumHeaderBytes}-byte limit)");
        }
        var data = file[(8 + (int)headerLength)..];
        var result = new StateDict<T>();
        var spans = new List<(long Begin, long End, string Name)>();
        try
        {
            using var header = JsonDocument.Parse(file.Slice(8, (int)headerLength).ToArray());
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, "the header is not a JSON object");
            }
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, result, source);
                    continue;
                }
                var (tensor, begin, end) = ReadTensor<T>(property.Name, property.Value, data, source);
                if (result.ContainsKey(property.Name))
                {
                    throw Invalid(source, $"tensor '{property.Name}' appears twice in the header");
                }
                result.Add(property.Name, tensor);
                spans.Add((begin, end, property.Name));
            }
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"Safetensors: {source} has a header that is not valid JSON: {error.Message}", error);
        }
        RequireCoverage(spans, data.Length, source);
        return result;
    }

    private static void ReadMetadata<T>(JsonElement metadata, StateDict<T> result, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, "__metadata__ is not an object");
        }
        foreach (var entry in metadata.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(source, $"__metadata__ entry '{entry.Name}' is not text");
            }
            result.Metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static (Tensor<T> Tensor, long Begin, long End) ReadTensor<T>(string name, JsonElement entry, ReadOnlySpan<byte> data, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !entry.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !entry.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw Invalid(source, $"tensor '{name}' lacks a text dtype, an array shape or two data_offsets");
        }
        string kind = dtype.GetString()!;
        int elementSize = kind switch
        {
            "F32" => sizeof(float),
            "F64" or "I64" => sizeof(double),
            _ => throw Invalid(source, $"tensor '{name}' has dtype {kind}; only F32, F64 and I64 are read"),
        };
        var dimensions = new int[shapeElement.GetArrayLength()];
        long count = 1;
        for (int axis = 0; axis < dimensions.Length; axis++)
        {
            var dimension = shapeElement[axis];
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out dimensions[axis]) || dimensions[axis] < 0)
            {
                throw Invalid(source, $"tensor '{name}' has shape {shapeElement.GetRawText()}, which is not a list of non-negative integers");
            }
            count *= dimensions[axis];
            if (count > int.MaxValue)
            {
                throw Invalid(source, $"tensor '{name}' has shape {shapeElement.GetRawText()}, more elements than a tensor holds");
            }
        }
        if (offsets[0].ValueKind != JsonValueKind.Number || !offsets[0].TryGetInt64(out long begin)
            || offsets[1].ValueKind != JsonValueKind.Number || !offsets[1].TryGetInt64(out long end)
            || begin < 0 || end < begin || end > data.Length || end - begin != count * elementSize)
        {
            throw Invalid(source,
                $"tensor '{name}' ({dtype.GetString()}, shape {shapeElement.GetRawText()}) has data_offsets {offsets.GetRawText()}; expected {count * elementSize} bytes within the {data.Length} data bytes");
        }
        var values = new T[count];
        var bytes = data[(int)begin..(int)end];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = kind switch
            {
                "F32" => T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..])),
                "F64" => T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..])),
                _ => T.CreateTruncating(BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..])),
            };
        }
        return (dimensions.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, dimensions), begin, end);
    }

    /// <summary>Checks that the tensors' byte ranges tile the data exactly: no hole, no overlap, nothing left over.</summary>
    private static void RequireCoverage(List<(long Begin, long End, string Name)> spans, int dataLength, string source)
    {
        long covered = 0;
        foreach (var (begin, end, name) in spans.OrderBy(span => span.Begin).ThenBy(span => span.End))
        {
            if (begin != covered)
            {
                throw Invalid(source, begin < covered
                    ? $"tensor '{name}' overlaps the bytes of another tensor at offset {begin}"
                    : $"the data has a hole of {begin - covered} bytes before tensor '{name}'");
            }
            covered = end;
        }
        if (covered != dataLength)
        {
            throw Invalid(source, $"the tensors cover {covered} of the {dataLength} data bytes");
        }
    }

    private static InvalidDataException Invalid(string source, string problem) => new($"Safetensors: {source} is not a valid file: {problem}.");
}
