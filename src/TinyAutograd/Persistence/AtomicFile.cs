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
        string temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
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
