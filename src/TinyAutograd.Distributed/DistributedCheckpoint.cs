using TinyAutograd.Persistence;

namespace TinyAutograd.Distributed;

/// <summary>
/// Checkpoints in a data-parallel run: all ranks hold the same parameters and optimizer state, so rank 0 alone writes
/// the file, and on resume rank 0 reads it and sends its bytes to the others, so every rank restores the same state
/// even when only rank 0's machine has the file.
/// </summary>
public static class DistributedCheckpoint
{
    /// <summary>
    /// On rank 0, builds the checkpoint with <paramref name="build"/> and saves it to <paramref name="path"/>
    /// (atomically, see <see cref="Checkpoint.Save(string)"/>); the other ranks skip both. Every rank returns once the
    /// file is complete, so that a rank may load it right after.
    /// </summary>
    /// <exception cref="DistributedException">A rank did not arrive within the communicator's timeout.</exception>
    public static void Save(Communicator communicator, string path, Func<Checkpoint> build)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(build);
        if (communicator.IsRoot)
        {
            build().Save(path);
        }
        communicator.Barrier();
    }

    /// <summary>
    /// Rank 0 reads <paramref name="path"/> and sends the file's bytes to every rank; each rank verifies and returns
    /// the same checkpoint (<see cref="Checkpoint.Load"/>). Restore the parameters and the optimizer from it on every rank.
    /// </summary>
    /// <exception cref="FileNotFoundException">Rank 0 has no such file (the other ranks then fail when rank 0's exception aborts the job).</exception>
    /// <exception cref="CheckpointException">The file is damaged.</exception>
    /// <exception cref="DistributedException">A rank did not arrive within the communicator's timeout.</exception>
    public static Checkpoint Load(Communicator communicator, string path)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = communicator.BroadcastBytes(communicator.IsRoot ? File.ReadAllBytes(path) : [], root: 0);
        if (communicator.IsRoot)
        {
            return Checkpoint.Load(path);
        }
        var copy = Path.Combine(Path.GetTempPath(), $"tinyautograd-rank{communicator.Rank}-{Environment.ProcessId}-{Path.GetFileName(path)}");
        try
        {
            File.WriteAllBytes(copy, bytes);
            return Checkpoint.Load(copy);
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
