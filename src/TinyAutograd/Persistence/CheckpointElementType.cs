namespace TinyAutograd.Persistence;

/// <summary>The element type of a <see cref="CheckpointEntry"/>; the numbers are the codes stored in the file.</summary>
public enum CheckpointElementType
{
    /// <summary>IEEE 754 single precision, 4 bytes little-endian (a <see cref="Tensor{T}"/> of <see cref="float"/>).</summary>
    Float32 = 1,

    /// <summary>IEEE 754 double precision, 8 bytes little-endian (a <see cref="Tensor{T}"/> of <see cref="double"/>, arrays, scalars).</summary>
    Float64 = 2,

    /// <summary>A signed 64-bit integer, 8 bytes little-endian (counters such as an optimizer's step).</summary>
    Int64 = 3,

    /// <summary>Text as UTF-8 bytes; the shape is [byte count].</summary>
    Utf8 = 4,
}
