namespace TinyAutograd.Profiling;

/// <summary>
/// The machine's limits, measured: the peak rate of fused multiply-adds in float32 and float64 and the memory
/// bandwidth. They are the two ceilings of the roofline model, against which each profiled op is placed.
/// </summary>
/// <remarks>
/// <para>
/// The roofline (Williams, Waterman and Patterson, "Roofline: an insightful visual performance model for multicore
/// architectures", CACM 2009): an op of arithmetic intensity I = FLOPs / bytes can reach at most
/// min(P, I·B) GFLOP/s for peak P and bandwidth B; below the ridge point I = P / B it is bound by memory, above it by
/// compute. Its percent of peak is 100·max(achieved GFLOP/s / P, achieved GB/s / B).
/// </para>
/// <para>
/// The peak comes from independent fused multiply-add chains in the widest vectors the hardware accelerates
/// (Vector512, else Vector256, else Vector128), on one thread and on every core at once; the bandwidth from reading
/// and from copying buffers larger than the last-level cache. <see cref="Measured"/> measures once per process, in
/// under a second; on a busy machine the figures come out low.
/// </para>
/// </remarks>
/// <param name="Cores">The logical processors used for the all-core figures.</param>
/// <param name="VectorBits">The width of the vectors the FMA loop used: 512, 256 or 128.</param>
/// <param name="Float32Gflops">Peak float32 GFLOP/s on all cores (a multiply-add counts two).</param>
/// <param name="Float64Gflops">Peak float64 GFLOP/s on all cores.</param>
/// <param name="Float32GflopsPerCore">Peak float32 GFLOP/s of one thread.</param>
/// <param name="Float64GflopsPerCore">Peak float64 GFLOP/s of one thread.</param>
/// <param name="ReadGigabytesPerSecond">Memory read bandwidth on all cores, in GB/s (10⁹ bytes).</param>
/// <param name="CopyGigabytesPerSecond">Memory copy bandwidth on all cores, bytes read plus bytes written, in GB/s.</param>
public sealed record MachineLimits(
    int Cores,
    int VectorBits,
    double Float32Gflops,
    double Float64Gflops,
    double Float32GflopsPerCore,
    double Float64GflopsPerCore,
    double ReadGigabytesPerSecond,
    double CopyGigabytesPerSecond)
{
    private static readonly Lazy<MachineLimits> s_measured = new(MachineProbe.Measure, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>This machine's limits, measured on first use and cached for the process.</summary>
    public static MachineLimits Measured => s_measured.Value;

    /// <summary>The bandwidth ceiling of the roofline: the better of reading and copying, in GB/s.</summary>
    public double BandwidthGigabytesPerSecond => Math.Max(ReadGigabytesPerSecond, CopyGigabytesPerSecond);

    /// <summary>The compute ceiling for <paramref name="elementType"/> (<c>float64</c>, else float32), in GFLOP/s.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="elementType"/> is null.</exception>
    public double PeakGflops(string elementType)
    {
        ArgumentNullException.ThrowIfNull(elementType);
        return elementType == "float64" ? Float64Gflops : Float32Gflops;
    }

    /// <summary>
    /// The highest rate an op of arithmetic intensity <paramref name="intensity"/> (FLOPs per byte) can reach:
    /// min(peak, intensity · bandwidth), in GFLOP/s.
    /// </summary>
    /// <param name="intensity">FLOPs per byte moved.</param>
    /// <param name="elementType"><c>float32</c> or <c>float64</c>: which compute ceiling applies.</param>
    /// <exception cref="ArgumentNullException"><paramref name="elementType"/> is null.</exception>
    public double AttainableGflops(double intensity, string elementType) =>
        Math.Min(PeakGflops(elementType), intensity * BandwidthGigabytesPerSecond);

    /// <summary>
    /// The share of its roof an op reaches, in percent: 100·max(gflops / peak, gbps / bandwidth), which equals its
    /// GFLOP/s over <see cref="AttainableGflops"/> when it has FLOPs.
    /// </summary>
    /// <param name="gflops">The op's achieved GFLOP/s.</param>
    /// <param name="gigabytesPerSecond">The op's achieved GB/s.</param>
    /// <param name="elementType"><c>float32</c> or <c>float64</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="elementType"/> is null.</exception>
    public double PercentOfRoof(double gflops, double gigabytesPerSecond, string elementType) =>
        100 * Math.Max(gflops / PeakGflops(elementType), gigabytesPerSecond / BandwidthGigabytesPerSecond);
}
