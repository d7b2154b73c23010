using System.Globalization;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// How long the calling thread has been ready to run but waiting for a processor because other threads or programs
/// held them all: the run-queue delay the Linux scheduler keeps per thread (second field of
/// <c>/proc/thread-self/schedstat</c>). A timed loop that waited a noticeable share of its time measured a busy
/// machine, not the code.
/// </summary>
internal static class ProcessorWait
{
    private const string Path = "/proc/thread-self/schedstat";

    /// <summary>The calling thread's total run-queue delay so far, or null where the scheduler does not publish it.</summary>
    public static TimeSpan? OfCurrentThread()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Path))
        {
            return null;
        }
        var fields = File.ReadAllText(Path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long nanoseconds)
            ? TimeSpan.FromTicks(nanoseconds / 100)
            : null;
    }
}
