using System.Text.Json.Nodes;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>Builds a workload record in the peer's field order: name, then extra fields, then the timing fields.</summary>
internal static class PeerRecord
{
    public static JsonObject Create(string name, JsonObject timing, params (string Key, JsonNode? Value)[] fields)
    {
        var record = new JsonObject { ["name"] = name };
        foreach (var (key, value) in fields)
        {
            record[key] = value;
        }
        foreach (var (key, value) in timing.ToArray())
        {
            timing.Remove(key);
            record[key] = value;
        }
        return record;
    }

    /// <summary>
    /// A compute-bound row (GEMM, convolution): the given fields, then <c>gflops</c> and <c>pct_of_peak</c> (its share
    /// of the probe's FMA peak), then the timing fields.
    /// </summary>
    /// <param name="flops">Floating-point operations per call, from the shapes (a multiply-add counts two).</param>
    public static JsonObject ComputeBound(string name, JsonObject timing, double flops, MachineShare machine, params (string Key, JsonNode? Value)[] fields)
    {
        double gflops = flops / Seconds(timing) / 1e9;
        return Create(name, timing, [.. fields, ("gflops", JsonLines.Round(gflops)), ("pct_of_peak", machine.PercentOfPeak(gflops))]);
    }

    /// <summary>
    /// A memory-bound row: the given fields, then its rate in GB/s under <paramref name="rateKey"/> and
    /// <c>pct_of_bandwidth</c> (its share of the probe's bandwidth), then the timing fields.
    /// </summary>
    /// <param name="bytes">Bytes moved per call, from the shapes.</param>
    /// <param name="writes">Whether the row writes memory (compared with the copy bandwidth) or only reads.</param>
    public static JsonObject MemoryBound(string name, JsonObject timing, double bytes, bool writes, MachineShare machine, string rateKey, params (string Key, JsonNode? Value)[] fields)
    {
        double seconds = Seconds(timing);
        return Create(name, timing, [.. fields, (rateKey, JsonLines.Round(bytes / seconds / 1e9)), ("pct_of_bandwidth", machine.PercentOfBandwidth(bytes, seconds, writes))]);
    }

    /// <summary>The median seconds of a timing record.</summary>
    public static double Seconds(JsonObject timing) => (double)timing["median_seconds"]!;
}
