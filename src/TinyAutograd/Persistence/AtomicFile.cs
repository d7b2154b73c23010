namespace TinyAutograd.Persistence;

/// <summary>
/// Replaces a file all at once: the new contents go to a temporary file in the same directory, are flushed to the
/// disk, and only then take the target's name, so a crash at any moment leaves either the old file or the new one.
/// </summary>
/// <remarks>
/// The rename is <see cref="File.Move(string, string, bool)"/> with overwrite, which is atomic within one file system
/// (rename(2) on Unix, MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows). The directory entry itself is not
/// flushed (.NET has no portable call for it), so after a power loss right after the rename some file systems may
/// still show the old file; they never show a partial one.
/// <para>
/// A process killed in the middle of a write cannot remove its temporary file, so every write first sweeps the
/// temporaries of the same target (<c>.{name}.{32 hex digits}.tmp</c>) that no writer holds open: a writer keeps its
/// temporary open with <see cref="FileShare.None"/> until it is renamed, which the sweep's own open cannot pass.
/// </para>
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the whole contents to the stream it is given.</param>
    /// <param name="intercept">Wraps the file stream before writing (tests use it to fail mid-write); null for none.</param>
    public static void Write(string path, Action<Stream> write, Func<Stream, Stream>? intercept = null)
    {
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"Checkpoint: '{path}' names no file.", nameof(path));
        string name = Path.GetFileName(target);
        SweepStaleTemporaries(directory, name);
        string temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                var stream = intercept is null ? file : intercept(file);
                write(stream);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            DeleteIfPossible(temporary);
            throw;
        }
    }

    /// <summary>Deletes the temporaries of <paramref name="name"/> left by writers that died; those still open are left alone.</summary>
    private static void SweepStaleTemporaries(string directory, string name)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        foreach (string file in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            if (IsTemporaryOf(Path.GetFileName(file), name) && NoOneHoldsOpen(file))
            {
                DeleteIfPossible(file);
            }
        }
    }

    /// <summary>Whether <paramref name="file"/> is named <c>.{name}.{32 hex digits}.tmp</c>.</summary>
    private static bool IsTemporaryOf(string file, string name)
    {
        const int GuidDigits = 32;
        if (file.Length != name.Length + GuidDigits + ".".Length * 2 + ".tmp".Length
            || !file.StartsWith('.') || !file.AsSpan(1).StartsWith($"{name}.", StringComparison.Ordinal) || !file.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return false;
        }
        return Guid.TryParseExact(file.AsSpan(name.Length + 2, GuidDigits), "N", out _);
    }

    /// <summary>Whether the file can be opened exclusively, i.e. no live writer holds it.</summary>
    private static bool NoOneHoldsOpen(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Removes a leftover temporary file; a failure to do so must not hide the error that made it a leftover.</summary>
    private static void DeleteIfPossible(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
