using System.Numerics;

namespace TinyAutograd.Onnx;

/// <summary>
/// A value of the graph being built: its name in the file, and what the library's own forward pass gives at this
/// point for the sample input (float values, or null for the token ids of the input), which tells its shape.
/// </summary>
internal readonly record struct OnnxValue<T>(string Name, int[] Shape, Tensor<T>? Sample)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether this is the int64 token-id input rather than float values.</summary>
    public bool IsTokenIds => Sample is null;

    /// <summary>The value <paramref name="name"/> holding <paramref name="sample"/>.</summary>
    public static OnnxValue<T> Of(string name, Tensor<T> sample) => new(name, sample.Shape.ToArray(), sample);
}
