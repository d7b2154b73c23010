using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json.Nodes;
using TinyAutograd.Benchmarks.Workloads;
using TinyAutograd.Kernels;
using TinyAutograd.Profiling;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// <c>peer [--threads N] [--repeats R] [--min-sample S] [--warmup-seconds W] [--only g1,g2] [--max-other F] [--retries K] [--arena auto|true|false]</c>:
/// runs torch_peer.py's workloads with the library and prints the same JSON lines (an env line, one line per workload,
/// a summary line).
/// </summary>
internal static class PeerCommand
{
    private static readonly IPeerGroup[] s_groups =
    [
        new MatmulGroup(), new ElementwiseGroup(), new LogSumExpGroup(), new MlpGroup(),
        new TapeGroup(), new HvpGroup(), new ToyGroup(), new MemoryBandwidthGroup(),
        new ConvGroup(), new ModelStepGroup("cnn", () => new CnnTrainingStep()), new ModelStepGroup("lstm", () => new CharacterLstmStep()),
        new ModelStepGroup("transformer", () => new CharacterTransformerStep()),
    ];

    public static int Run(string[] args)
    {
        var options = ParseOptions(args);
        int threads = int.Parse(options.GetValueOrDefault("threads", "1"), CultureInfo.InvariantCulture);
        var settings = new SamplingSettings(
            Repeats: int.Parse(options.GetValueOrDefault("repeats", "7"), CultureInfo.InvariantCulture),
            MinSampleSeconds: double.Parse(options.GetValueOrDefault("min-sample", "0.05"), CultureInfo.InvariantCulture),
            WarmupSeconds: double.Parse(options.GetValueOrDefault("warmup-seconds", "1.0"), CultureInfo.InvariantCulture),
            MaxOther: double.Parse(options.GetValueOrDefault("max-other", "0.10"), CultureInfo.InvariantCulture),
            Retries: int.Parse(options.GetValueOrDefault("retries", "3"), CultureInfo.InvariantCulture),
            UseArena: false,
            Machine: new MachineShare(MachineLimits.Measured, threads));
        string arena = options.GetValueOrDefault("arena", "auto");
        if (arena is not ("auto" or "true" or "false"))
        {
            throw new ArgumentException($"peer: --arena {arena} is not understood; expected auto, true or false.");
        }
        var only = options.GetValueOrDefault("only", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = only.Except(s_groups.Select(g => g.Name)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"peer: unknown group(s) {string.Join(", ", unknown)}; expected some of {string.Join(",", s_groups.Select(g => g.Name))}.");
        }

        Parallelism.MaxThreads = threads;
        JsonLines.Emit(Environment(threads, settings, arena));
        long began = Stopwatch.GetTimestamp();
        foreach (var group in s_groups.Where(g => only.Count == 0 || only.Contains(g.Name)))
        {
            bool useArena = arena == "true" || (arena == "auto" && group.AllocatesLargeBuffers);
            foreach (var record in group.Run(settings with { UseArena = useArena }))
            {
                record["arena"] = useArena;
                record["group"] = group.Name;
                record["dtype"] = "float32";
                record["threads"] = threads;
                JsonLines.Emit(record);
            }
        }
        JsonLines.Emit(new JsonObject
        {
            ["name"] = "summary",
            ["total_seconds"] = JsonLines.Round(Stopwatch.GetElapsedTime(began).TotalSeconds),
        });
        return 0;
    }

    /// <summary>Reads <c>--key value</c> pairs.</summary>
    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var known = new HashSet<string> { "threads", "repeats", "min-sample", "warmup-seconds", "only", "max-other", "retries", "arena" };
        var options = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            string key = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : "";
            if (!known.Contains(key) || i + 1 >= args.Length)
            {
                throw new ArgumentException(
                    $"peer: cannot read '{args[i]}'; expected --key value with key one of {string.Join(", ", known)}.");
            }
            options[key] = args[++i];
        }
        return options;
    }

    private static JsonObject Environment(int threads, SamplingSettings settings, string arena) => new()
    {
        ["name"] = "env",
        ["library"] = "TinyAutograd",
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["os"] = RuntimeInformation.OSDescription,
        ["dtype"] = "float32",
        ["threads"] = threads,
        ["gemm_max_threads"] = Parallelism.MaxThreads,
        ["vector512_accelerated"] = Vector512.IsHardwareAccelerated,
        ["vector256_accelerated"] = Vector256.IsHardwareAccelerated,
        ["gemm_kernel"] = Gemm.UsesAvx512 ? "AVX-512 12×32" : "AVX2 6×16",
        ["server_gc"] = GCSettings.IsServerGC,
        ["gc_latency_mode"] = GCSettings.LatencyMode.ToString(),
        ["cpu"] = CpuModel(),
        ["logical_cpus"] = System.Environment.ProcessorCount,
        ["repeats"] = settings.Repeats,
        ["min_sample_seconds"] = settings.MinSampleSeconds,
        ["warmup_seconds"] = settings.WarmupSeconds,
        ["max_other"] = settings.MaxOther,
        ["arena"] = arena,
        ["probe"] = settings.Machine.Describe(),
    };

    private static string? CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
