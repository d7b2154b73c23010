namespace TinyAutograd.Onnx;

/// <summary>
/// The input of an exported model: float32 values (<see cref="Values"/>) or int64 token ids (<see cref="TokenIds"/>,
/// for a model that starts with an embedding), with a sample shape.
/// </summary>
/// <remarks>
/// The exporter runs the model once on zeros of the sample shape to learn the shape of every intermediate value, so
/// the sample shape must be one the model accepts. In the file, every axis keeps its sample size except the first,
/// which is free (named <c>batch</c>) unless <see cref="DynamicBatch"/> is false: the file then takes any batch size.
/// </remarks>
public sealed record OnnxInput
{
    private readonly int[] _shape;

    private OnnxInput(int[] shape, bool tokenIds)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || shape.Any(size => size <= 0))
        {
            throw new ArgumentException($"OnnxInput: the sample shape [{string.Join(", ", shape)}] must have at least one axis and positive sizes.", nameof(shape));
        }
        _shape = [.. shape];
        IsTokenIds = tokenIds;
    }

    /// <summary>A float32 input of sample shape <paramref name="shape"/>, e.g. [1, 1, 28, 28] for one grey 28×28 image.</summary>
    /// <exception cref="ArgumentException">The shape is empty or has a size that is not positive.</exception>
    public static OnnxInput Values(params int[] shape) => new(shape, tokenIds: false);

    /// <summary>An int64 input of token ids of sample shape <paramref name="shape"/>, e.g. [1, 64] for one sequence of 64 tokens.</summary>
    /// <exception cref="ArgumentException">The shape is empty or has a size that is not positive.</exception>
    public static OnnxInput TokenIds(params int[] shape) => new(shape, tokenIds: true);

    /// <summary>The sample shape.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Whether the input holds int64 token ids rather than float32 values.</summary>
    public bool IsTokenIds { get; }

    /// <summary>The input's name in the file (default <c>input</c>); the output is always named <c>output</c>.</summary>
    public string Name
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            if (value == OnnxExport.OutputName)
            {
                throw new ArgumentException($"OnnxInput: the input cannot be named '{OnnxExport.OutputName}', the output's name.", nameof(value));
            }
            field = value;
        }
    } = "input";

    /// <summary>Whether the first axis is free in the file (any batch size), named <c>batch</c>; true by default.</summary>
    public bool DynamicBatch { get; init; } = true;

    /// <inheritdoc/>
    public override string ToString() => $"{(IsTokenIds ? "int64 token ids" : "float32 values")} '{Name}' [{string.Join(", ", _shape)}]";
}
