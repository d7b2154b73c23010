namespace TinyAutograd.Persistence;

/// <summary>One named value of a <see cref="Checkpoint"/>: an array of one element type with a shape.</summary>
public sealed class CheckpointEntry
{
    internal CheckpointEntry(string name, CheckpointElementType elementType, Shape shape, Array values)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        Values = values;
    }

    /// <summary>The entry's name, unique within its checkpoint.</summary>
    public string Name { get; }

    /// <summary>The type of every element.</summary>
    public CheckpointElementType ElementType { get; }

    /// <summary>The shape: rank 0 for a scalar, [byte count] for text.</summary>
    public Shape Shape { get; }

    /// <summary>The elements in row-major order: a float[], double[], long[] or byte[] (UTF-8), never shared with the caller.</summary>
    internal Array Values { get; }

    /// <summary>The size in bytes of one element of <paramref name="type"/>.</summary>
    internal static int ElementSize(CheckpointElementType type) => type switch
    {
        CheckpointElementType.Float32 => sizeof(float),
        CheckpointElementType.Float64 => sizeof(double),
        CheckpointElementType.Int64 => sizeof(long),
        CheckpointElementType.Utf8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a checkpoint element type."),
    };

    /// <summary>A new zero-filled array for <paramref name="length"/> elements of <paramref name="type"/>.</summary>
    internal static Array NewValues(CheckpointElementType type, int length) => type switch
    {
        CheckpointElementType.Float32 => new float[length],
        CheckpointElementType.Float64 => new double[length],
        CheckpointElementType.Int64 => new long[length],
        CheckpointElementType.Utf8 => new byte[length],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a checkpoint element type."),
    };

    /// <summary>The element type name used in messages, e.g. <c>float32</c>.</summary>
    internal static string Describe(CheckpointElementType type) => type switch
    {
        CheckpointElementType.Float32 => "float32",
        CheckpointElementType.Float64 => "float64",
        CheckpointElementType.Int64 => "int64",
        _ => "text",
    };

    /// <summary>A short description for messages: name, element type and shape.</summary>
    internal string Describe() => $"entry '{Name}' ({Describe(ElementType)}, shape {Shape})";
}
