using System.Numerics;
using System.Runtime.InteropServices;

namespace TinyAutograd.Persistence;

/// <summary>
/// A set of named arrays (tensors, arrays, scalars, integers, text) saved to and loaded from one file: a model's
/// parameters, an optimizer's state and anything else a training run needs to resume.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Save(string)"/> writes atomically (a crash never destroys the previous file) in a versioned, self-describing
/// binary format with a SHA-256 checksum per entry and one over the whole file (see the README's Reliability
/// section). <see cref="Load"/> verifies everything before returning, so a truncated or damaged file is reported —
/// naming the damaged entry — and never half-read. Values round-trip bit for bit, NaN payloads included.
/// </para>
/// <para>
/// Every entry is a copy: changing a tensor after adding it does not change the checkpoint, and tensors read back
/// are new. Parameters and optimizer state have their own helpers: <see cref="AddParameters{T}"/>,
/// <see cref="AddOptimizerState"/>, <see cref="Restore{T}"/>.
/// </para>
/// </remarks>
public sealed partial class Checkpoint
{
    private readonly List<CheckpointEntry> _entries = [];
    private readonly Dictionary<string, CheckpointEntry> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates an empty checkpoint.</summary>
    public Checkpoint()
    {
    }

    private Checkpoint(IEnumerable<CheckpointEntry> entries)
    {
        foreach (var entry in entries)
        {
            Add(entry.Name, entry.ElementType, entry.Shape, entry.Values);
        }
    }

    /// <summary>The entries in the order they were added (and are stored).</summary>
    public IReadOnlyList<CheckpointEntry> Entries => _entries;

    /// <summary>Whether an entry is called <paramref name="name"/>.</summary>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.ContainsKey(name);
    }

    /// <summary>Reads and verifies a checkpoint file.</summary>
    /// <exception cref="CheckpointException">The file is not a checkpoint, has an unsupported version, is truncated or is damaged.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return new Checkpoint(CheckpointReader.Read(file, path));
    }

    /// <summary>Writes the checkpoint to <paramref name="path"/>, replacing any file there only once the new one is complete on disk.</summary>
    /// <exception cref="IOException">The file could not be written; a previous file at <paramref name="path"/> is unchanged.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Save(path, intercept: null);
    }

    /// <summary>As <see cref="Save(string)"/>, with the file stream wrapped by <paramref name="intercept"/> (tests simulate failures with it).</summary>
    internal void Save(string path, Func<Stream, Stream>? intercept) =>
        AtomicFile.Write(path, stream => CheckpointWriter.Write(stream, _entries), intercept);

    /// <summary>Adds a copy of a tensor's values with its shape, as float32 or float64.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long (over 65,535 UTF-8 bytes) or taken, or the rank is above 255.</exception>
    public void AddTensor<T>(string name, Tensor<T> tensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Add(name, ElementTypeOf<T>(), tensor.Shape, tensor.ToArray());
    }

    /// <summary>Adds a copy of a one-dimensional float64 array.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or taken.</exception>
    public void AddArray(string name, ReadOnlySpan<double> values) =>
        Add(name, CheckpointElementType.Float64, new Shape(values.Length), values.ToArray());

    /// <summary>Adds a float64 scalar (rank 0).</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or taken.</exception>
    public void AddScalar(string name, double value) =>
        Add(name, CheckpointElementType.Float64, Shape.Scalar, new[] { value });

    /// <summary>Adds an int64 scalar (rank 0), e.g. an epoch or step counter.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or taken.</exception>
    public void AddInteger(string name, long value) =>
        Add(name, CheckpointElementType.Int64, Shape.Scalar, new[] { value });

    /// <summary>Adds a text, stored as UTF-8.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or taken, or the text is not valid UTF-16 (a lone surrogate).</exception>
    public void AddText(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = EncodeStrictly(text, nameof(text));
        Add(name, CheckpointElementType.Utf8, new Shape(bytes.Length), bytes);
    }

    /// <summary>A new tensor holding entry <paramref name="name"/>, whose element type must be <typeparamref name="T"/>'s.</summary>
    /// <exception cref="CheckpointException">No such entry, or it holds another element type.</exception>
    public Tensor<T> GetTensor<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var entry = Get(name, ElementTypeOf<T>());
        return new Tensor<T>(entry.Shape, (T[])((T[])entry.Values).Clone());
    }

    /// <summary>A copy of the float64 entry <paramref name="name"/>'s values, flattened row-major.</summary>
    /// <exception cref="CheckpointException">No such entry, or it is not float64.</exception>
    public double[] GetArray(string name) => (double[])((double[])Get(name, CheckpointElementType.Float64).Values).Clone();

    /// <summary>The float64 scalar <paramref name="name"/>.</summary>
    /// <exception cref="CheckpointException">No such entry, it is not float64, or it is not a scalar.</exception>
    public double GetScalar(string name) => ((double[])GetScalarEntry(name, CheckpointElementType.Float64).Values)[0];

    /// <summary>The int64 scalar <paramref name="name"/>.</summary>
    /// <exception cref="CheckpointException">No such entry, it is not int64, or it is not a scalar.</exception>
    public long GetInteger(string name) => ((long[])GetScalarEntry(name, CheckpointElementType.Int64).Values)[0];

    /// <summary>The text <paramref name="name"/>.</summary>
    /// <exception cref="CheckpointException">No such entry, or it is not text.</exception>
    public string GetText(string name) => CheckpointLayout.StrictUtf8.GetString((byte[])Get(name, CheckpointElementType.Utf8).Values);

    /// <summary>The entry <paramref name="name"/>, checked to hold <paramref name="type"/>.</summary>
    private CheckpointEntry Get(string name, CheckpointElementType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_byName.TryGetValue(name, out var entry))
        {
            throw new CheckpointException(CheckpointProblem.MissingEntry, name, $"Checkpoint: there is no entry '{name}'.");
        }
        if (entry.ElementType != type)
        {
            throw new CheckpointException(CheckpointProblem.ElementTypeMismatch, name,
                $"Checkpoint: {entry.Describe()} holds {CheckpointEntry.Describe(entry.ElementType)} values; {CheckpointEntry.Describe(type)} values were asked for.");
        }
        return entry;
    }

    private CheckpointEntry GetScalarEntry(string name, CheckpointElementType type)
    {
        var entry = Get(name, type);
        if (entry.Shape.Rank != 0)
        {
            throw new CheckpointException(CheckpointProblem.ShapeMismatch, name, $"Checkpoint: {entry.Describe()} is not a scalar (expected shape []).");
        }
        return entry;
    }

    private void Add(string name, CheckpointElementType type, Shape shape, Array values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (EncodeStrictly(name, nameof(name)).Length > ushort.MaxValue)
        {
            throw new ArgumentException($"Checkpoint: the name '{name[..32]}…' is longer than {ushort.MaxValue} UTF-8 bytes.", nameof(name));
        }
        if (shape.Rank > byte.MaxValue)
        {
            throw new ArgumentException($"Checkpoint: '{name}' has rank {shape.Rank}; at most {byte.MaxValue} axes can be stored.", nameof(name));
        }
        var entry = new CheckpointEntry(name, type, shape, values);
        if (!_byName.TryAdd(name, entry))
        {
            throw new ArgumentException($"Checkpoint: there is already an entry '{name}'; names must be unique.", nameof(name));
        }
        _entries.Add(entry);
    }

    private static byte[] EncodeStrictly(string text, string parameter)
    {
        try
        {
            return CheckpointLayout.StrictUtf8.GetBytes(text);
        }
        catch (System.Text.EncoderFallbackException error)
        {
            throw new ArgumentException($"Checkpoint: the {parameter} holds a lone surrogate and cannot be stored as UTF-8.", parameter, error);
        }
    }

    private static CheckpointElementType ElementTypeOf<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? CheckpointElementType.Float32 : CheckpointElementType.Float64;
}
