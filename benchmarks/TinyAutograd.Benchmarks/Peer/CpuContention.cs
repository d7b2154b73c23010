using System.Diagnostics;
using System.Globalization;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// Measures the share of the machine's CPU time (all cores) used by other processes during a window, from /proc/stat
/// and this process's own CPU time, as the PyTorch peer does. Well above 0 means the timings are contaminated.
/// </summary>
internal sealed class CpuContention
{
    /// <summary>Linux's USER_HZ, the unit of /proc/stat.</summary>
    private const double TicksPerSecond = 100.0;

    private (long Busy, long Total)? _machineStart;
    private TimeSpan _ownStart;

    public void Start()
    {
        _machineStart = ReadMachineTicks();
        _ownStart = OwnCpuTime();
    }

    /// <summary>Other processes' share of all CPU time since <see cref="Start"/>, or null where /proc/stat is unreadable.</summary>
    public double? Stop()
    {
        var end = ReadMachineTicks();
        var own = OwnCpuTime() - _ownStart;
        if (_machineStart is not { } start || end is not { } stop)
        {
            return null;
        }
        double busy = (stop.Busy - start.Busy) / TicksPerSecond;
        double total = (stop.Total - start.Total) / TicksPerSecond;
        if (total <= 0)
        {
            return null;
        }
        return Math.Round(Math.Max(0.0, busy - own.TotalSeconds) / total, 3);
    }

    private static TimeSpan OwnCpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>(busy, total) ticks over all CPUs: the first line of /proc/stat, idle and iowait counted as not busy, guest columns excluded.</summary>
    private static (long Busy, long Total)? ReadMachineTicks()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
            long idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            long total = fields.Sum();
            return (total - idle, total);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
