using System.Globalization;

namespace TinyAutograd.Kernels;

/// <summary>
/// The data cache sizes the machine reports, from which the cache-dependent thresholds are derived: the streaming
/// store threshold (<see cref="StreamingStoreMinBytes"/>) and the GEMM blocking (<see cref="GemmBlocking.Derive"/>).
/// </summary>
/// <remarks>
/// On Linux the sizes come from <c>/sys/devices/system/cpu/cpu0/cache/index*/</c> (<c>level</c>, <c>type</c>,
/// <c>size</c>, <c>shared_cpu_list</c>). Elsewhere, or when that directory cannot be read, <see cref="Fallback"/> is
/// used: 32 KiB of L1 data cache, 1 MiB of L2 per core and 2 MiB of L3 per logical processor shared by all of them,
/// typical of current x86 desktop and server cores.
/// </remarks>
/// <param name="L1Data">Bytes of level-1 data cache of one core.</param>
/// <param name="L2">Bytes of level-2 cache of one core.</param>
/// <param name="L3">Bytes of level-3 cache (0 when there is none), as seen by one core.</param>
/// <param name="L3SharedBy">How many logical processors share that L3 (at least 1).</param>
internal sealed record CacheSizes(long L1Data, long L2, long L3, int L3SharedBy)
{
    private const string SysfsDirectory = "/sys/devices/system/cpu/cpu0/cache";

    private static readonly Lazy<CacheSizes> s_machine = new(() => Read(SysfsDirectory) ?? Fallback);

    /// <summary>This machine's caches, read once per process.</summary>
    public static CacheSizes Machine => s_machine.Value;

    /// <summary>The sizes assumed when the machine does not report its caches (see the remarks of the type).</summary>
    public static CacheSizes Fallback => new(32 << 10, 1 << 20, (2L << 20) * Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>
    /// Bytes per cache line: 64 on every x86-64 and ARMv8 core this library runs on. Not read from the machine: the
    /// layouts cut on it (aligned scratch, padded matrices) are the same everywhere.
    /// </summary>
    public const int LineBytes = 64;

    /// <summary>Bytes of the last cache level before memory: L3 when there is one, else L2.</summary>
    public long LastLevel => L3 > 0 ? L3 : L2;

    /// <summary>One logical processor's share of the last level: L3 / <see cref="L3SharedBy"/>, else L2.</summary>
    public long LastLevelPerCore => L3 > 0 ? L3 / L3SharedBy : L2;

    /// <summary>
    /// Destinations of at least this many bytes are written with non-temporal stores: <c>LastLevel / 2</c>.
    /// </summary>
    /// <remarks>
    /// An elementwise pass reads its source and writes a destination of the same size. While both fit in the last
    /// level together (destination ≤ LastLevel / 2) the destination is still cached when the next op reads it, and
    /// plain stores win; beyond that it is evicted before it is read again, so streaming it past the cache saves the
    /// read-for-ownership of every line.
    /// </remarks>
    public long StreamingStoreMinBytes => LastLevel / 2;

    /// <summary>
    /// Reads the caches of one processor from a sysfs cache directory (<c>index*/level</c>, <c>type</c>,
    /// <c>size</c>, <c>shared_cpu_list</c>); null when the directory is missing or reports no L1 data or L2 cache.
    /// </summary>
    public static CacheSizes? Read(string directory)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                return null;
            }

            long l1 = 0, l2 = 0, l3 = 0;
            int l3SharedBy = 1;
            foreach (string index in Directory.EnumerateDirectories(directory, "index*"))
            {
                string type = File.ReadAllText(Path.Combine(index, "type")).Trim();
                if (type == "Instruction")
                {
                    continue;
                }

                int level = int.Parse(File.ReadAllText(Path.Combine(index, "level")).Trim(), CultureInfo.InvariantCulture);
                long size = ParseSize(File.ReadAllText(Path.Combine(index, "size")));
                switch (level)
                {
                    case 1:
                        l1 = size;
                        break;
                    case 2:
                        l2 = size;
                        break;
                    case 3:
                        l3 = size;
                        string shared = Path.Combine(index, "shared_cpu_list");
                        l3SharedBy = File.Exists(shared) ? CountCpus(File.ReadAllText(shared)) : 1;
                        break;
                }
            }

            return l1 > 0 && l2 > 0 ? new CacheSizes(l1, l2, l3, l3SharedBy) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Parses a sysfs size such as <c>48K</c>, <c>1280K</c>, <c>32M</c> or <c>512</c> into bytes.</summary>
    /// <exception cref="FormatException">The text is not a number with an optional K, M or G suffix.</exception>
    public static long ParseSize(string text)
    {
        string trimmed = text.Trim();
        long unit = trimmed.EndsWith('K') ? 1L << 10 : trimmed.EndsWith('M') ? 1L << 20 : trimmed.EndsWith('G') ? 1L << 30 : 1;
        string digits = unit == 1 ? trimmed : trimmed[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw new FormatException($"CacheSizes.ParseSize: '{text}' is not a cache size; expected digits with an optional K, M or G suffix.");
        }

        return checked(value * unit);
    }

    /// <summary>Counts the processors of a sysfs CPU list such as <c>0-3,8,10-11</c> (at least 1).</summary>
    /// <exception cref="FormatException">The text is not a comma list of numbers and ranges.</exception>
    public static int CountCpus(string list)
    {
        int count = 0;
        foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] ends = part.Split('-');
            int first = int.Parse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture);
            int last = ends.Length == 2 ? int.Parse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture) : first;
            if (ends.Length > 2 || last < first)
            {
                throw new FormatException($"CacheSizes.CountCpus: '{part}' in '{list.Trim()}' is not a processor number or range a-b with a ≤ b.");
            }

            count += last - first + 1;
        }

        return Math.Max(1, count);
    }
}
