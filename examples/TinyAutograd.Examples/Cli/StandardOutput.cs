using System.Text;
using Microsoft.Win32.SafeHandles;

namespace TinyAutograd.Examples.Cli;

/// <summary>Standard output as a plain stream of UTF-8 text, for the JSON results and the help text.</summary>
/// <remarks>
/// <see cref="Console.Out"/> is not plain when standard output is a terminal: before the first bytes it writes there,
/// .NET switches the terminal to keypad mode by writing the terminal's escape sequence for it. Under <c>mpirun</c>
/// every rank's standard output is a pseudo-terminal (Open MPI's launcher forwards it that way), so a program reading
/// the JSON would get those bytes first. Writing to file descriptor 1 directly keeps standard output exactly what the
/// program prints.
/// </remarks>
internal static class StandardOutput
{
    /// <summary>A writer on file descriptor 1 that flushes every write, so that it interleaves with the terminal's output in order.</summary>
    public static TextWriter Open() =>
        new StreamWriter(new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false))
        {
            AutoFlush = true,
        };
}
