namespace TinyAutograd.Persistence;

/// <summary>
/// A checkpoint could not be read (not a checkpoint, unsupported version, truncated, corrupted) or does not fit what it
/// is loaded into (missing or unexpected entries, element type or shape mismatches). Nothing was changed.
/// </summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates an exception for a checkpoint that could not be read or applied.</summary>
    public CheckpointException()
        : this(CheckpointProblem.Corrupted, null, "The checkpoint could not be read or applied.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public CheckpointException(string? message)
        : this(CheckpointProblem.Corrupted, null, message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public CheckpointException(string? message, Exception? innerException)
        : this(CheckpointProblem.Corrupted, null, message, innerException)
    {
    }

    internal CheckpointException(CheckpointProblem problem, string? entryName, string? message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
        EntryName = entryName;
    }

    /// <summary>What went wrong.</summary>
    public CheckpointProblem Problem { get; }

    /// <summary>The name of the entry concerned, when the problem belongs to one entry (as stored, if damaged).</summary>
    public string? EntryName { get; }
}
