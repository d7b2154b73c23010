using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="CacheSizes"/>: reading a sysfs-style cache directory, parsing its sizes and processor lists,
/// and the streaming-store threshold derived from the sizes.
/// </summary>
public sealed class CacheSizesTests
{
    [Fact]
    public void ReadsDataAndUnifiedLevelsAndSkipsInstructionCache()
    {
        string directory = NewCacheDirectory(
            ("index0", "1", "Data", "48K", "0"),
            ("index1", "1", "Instruction", "32K", "0"),
            ("index2", "2", "Unified", "1280K", "0"),
            ("index3", "3", "Unified", "49152K", "0-1"));
        try
        {
            Assert.Equal(new CacheSizes(48 * 1024, 1280 * 1024, 48L * 1024 * 1024, 2), CacheSizes.Read(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ReadGivesNullForAMissingDirectoryOrOneWithoutL2()
    {
        Assert.Null(CacheSizes.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
        string directory = NewCacheDirectory(("index0", "1", "Data", "32K", "0"));
        try
        {
            Assert.Null(CacheSizes.Read(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("48K", 49152L)]
    [InlineData("1280K\n", 1310720L)]
    [InlineData("32M", 33554432L)]
    [InlineData("1G", 1073741824L)]
    [InlineData("512", 512L)]
    public void ParsesSysfsSizes(string text, long bytes) => Assert.Equal(bytes, CacheSizes.ParseSize(text));

    [Theory]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("-4K")]
    [InlineData("12Q")]
    public void RejectsMalformedSizesNamingTheText(string text)
    {
        var e = Assert.Throws<FormatException>(() => CacheSizes.ParseSize(text));
        Assert.Contains("CacheSizes.ParseSize", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("0-1", 2)]
    [InlineData("0-3,8,10-11\n", 7)]
    public void CountsProcessorLists(string list, int count) => Assert.Equal(count, CacheSizes.CountCpus(list));

    [Fact]
    public void RejectsABackwardProcessorRange()
    {
        var e = Assert.Throws<FormatException>(() => CacheSizes.CountCpus("3-1"));
        Assert.Contains("CacheSizes.CountCpus: '3-1'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(48L << 20, 2, 24L << 20)] // a 48 MiB L3: destinations from 24 MiB are streamed
    [InlineData(8L << 20, 4, 4L << 20)] // an 8 MiB L3: from 4 MiB
    [InlineData(0L, 1, 512L << 10)] // no L3: half of the 1 MiB L2
    public void StreamingStartsAtHalfTheLastLevel(long l3, int sharedBy, long expected) =>
        Assert.Equal(expected, new CacheSizes(32 << 10, 1 << 20, l3, sharedBy).StreamingStoreMinBytes);

    [Fact]
    public void MachineAndFallbackReportUsableSizes()
    {
        foreach (var caches in new[] { CacheSizes.Machine, CacheSizes.Fallback })
        {
            Assert.True(caches.L1Data > 0 && caches.L2 >= caches.L1Data && caches.L3SharedBy >= 1, caches.ToString());
            Assert.True(caches.LastLevel >= caches.L2 && caches.LastLevelPerCore > 0, caches.ToString());
        }
    }

    private static string NewCacheDirectory(params (string Index, string Level, string Type, string Size, string Shared)[] entries)
    {
        string directory = Path.Combine(Path.GetTempPath(), "cache-sizes-" + Guid.NewGuid().ToString("N"));
        foreach (var (index, level, type, size, shared) in entries)
        {
            string path = Directory.CreateDirectory(Path.Combine(directory, index)).FullName;
            File.WriteAllText(Path.Combine(path, "level"), level + "\n");
            File.WriteAllText(Path.Combine(path, "type"), type + "\n");
            File.WriteAllText(Path.Combine(path, "size"), size + "\n");
            File.WriteAllText(Path.Combine(path, "shared_cpu_list"), shared + "\n");
        }

        return directory;
    }
}
