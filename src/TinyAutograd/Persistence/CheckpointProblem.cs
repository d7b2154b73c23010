namespace TinyAutograd.Persistence;

/// <summary>Why a checkpoint could not be read or applied; see <see cref="CheckpointException.Problem"/>.</summary>
public enum CheckpointProblem
{
    /// <summary>The file does not start with the checkpoint signature: it is not a TinyAutograd checkpoint.</summary>
    NotACheckpoint,

    /// <summary>The file's format version is one this library does not read (a newer writer, or a damaged header).</summary>
    UnsupportedVersion,

    /// <summary>The file is shorter than its header records: it was cut short.</summary>
    Truncated,

    /// <summary>A checksum does not match or a field holds an impossible value: the bytes are damaged.</summary>
    Corrupted,

    /// <summary>An entry the caller needs is not in the checkpoint.</summary>
    MissingEntry,

    /// <summary>The checkpoint holds a parameter the model does not have.</summary>
    UnexpectedEntry,

    /// <summary>An entry's element type differs from the one the caller needs (e.g. float32 for a double parameter).</summary>
    ElementTypeMismatch,

    /// <summary>An entry's shape differs from the one the caller needs.</summary>
    ShapeMismatch,

    /// <summary>The saved optimizer state does not fit the optimizer (another method, or other parameter counts or sizes).</summary>
    OptimizerMismatch,
}
