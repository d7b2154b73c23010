namespace TinyAutograd.Benchmarks.Peer;

/// <summary>The timing protocol's knobs, named as in torch_peer.py.</summary>
/// <param name="Repeats">Timed samples per workload; the median is reported.</param>
/// <param name="MinSampleSeconds">The least duration of one sample; the inner loop count is calibrated to reach it.</param>
/// <param name="WarmupSeconds">
/// The least warm-up time. Longer than the peer's 0.05 s because .NET compiles hot methods again with full optimization
/// (tiered compilation) only after they have run for a while; timing before that would measure unoptimized code.
/// </param>
/// <param name="MaxOther">Retry a measurement when other processes used more than this share of the machine's CPU time.</param>
/// <param name="Retries">How many times to retry a contended measurement.</param>
/// <param name="UseArena">
/// Whether each call of a workload runs inside a <see cref="TensorArena"/>, the library's way to recycle a repeated
/// step's buffers (the peer, likewise, runs with a caching allocator).
/// </param>
/// <param name="Machine">The machine probe's ceilings, against which rows report their share of peak or bandwidth.</param>
internal sealed record SamplingSettings(int Repeats, double MinSampleSeconds, double WarmupSeconds, double MaxOther, int Retries, bool UseArena, MachineShare Machine);
