using System.Text.Json.Nodes;
using TinyAutograd.Profiling;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// The machine probe's ceilings for this run (<see cref="MachineLimits.Measured"/>, measured once per process), and a
/// row's share of them: compute-bound rows (GEMM, convolution) against the fused multiply-add peak, memory-bound rows
/// (membw, elementwise, logsumexp) against the bandwidth.
/// </summary>
/// <param name="Limits">The probe's figures.</param>
/// <param name="Threads">The thread count of the run.</param>
internal sealed record MachineShare(MachineLimits Limits, int Threads)
{
    /// <summary>
    /// The FMA peak reachable with the run's threads, in GFLOP/s: min(one core's peak · threads, the all-core peak).
    /// </summary>
    public double PeakGflops(string dtype)
    {
        bool isDouble = dtype == "float64";
        double perCore = isDouble ? Limits.Float64GflopsPerCore : Limits.Float32GflopsPerCore;
        double allCores = isDouble ? Limits.Float64Gflops : Limits.Float32Gflops;
        return Math.Min(perCore * Threads, allCores);
    }

    /// <summary>100 · <paramref name="gflops"/> / <see cref="PeakGflops"/>.</summary>
    public double PercentOfPeak(double gflops, string dtype = "float32") => JsonLines.Round(100 * gflops / PeakGflops(dtype), 3);

    /// <summary>
    /// 100 · (bytes / seconds) / bandwidth, the bandwidth being the probe's copy figure (bytes read plus written) when
    /// the row writes memory, its read figure when the row only reads.
    /// </summary>
    /// <param name="bytes">The bytes the row moves per call, from its shapes.</param>
    /// <param name="seconds">Seconds per call.</param>
    /// <param name="writes">Whether the row writes an array (rather than only reading).</param>
    public double PercentOfBandwidth(double bytes, double seconds, bool writes)
    {
        double ceiling = writes ? Limits.CopyGigabytesPerSecond : Limits.ReadGigabytesPerSecond;
        return JsonLines.Round(100 * bytes / seconds / 1e9 / ceiling, 3);
    }

    /// <summary>The probe's figures, for the env line.</summary>
    public JsonObject Describe() => new()
    {
        ["cores"] = Limits.Cores,
        ["vector_bits"] = Limits.VectorBits,
        ["peak_gflops_fp32"] = JsonLines.Round(Limits.Float32Gflops),
        ["peak_gflops_fp64"] = JsonLines.Round(Limits.Float64Gflops),
        ["peak_gflops_fp32_per_core"] = JsonLines.Round(Limits.Float32GflopsPerCore),
        ["peak_gflops_fp64_per_core"] = JsonLines.Round(Limits.Float64GflopsPerCore),
        ["peak_gflops_fp32_run"] = JsonLines.Round(PeakGflops("float32")),
        ["peak_gflops_fp64_run"] = JsonLines.Round(PeakGflops("float64")),
        ["read_gbps"] = JsonLines.Round(Limits.ReadGigabytesPerSecond),
        ["copy_gbps"] = JsonLines.Round(Limits.CopyGigabytesPerSecond),
    };
}
