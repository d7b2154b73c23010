using System.Text.Json.Nodes;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>Physical-limit probes on 512 MiB float32 buffers (copy, fill, sum): the memory bandwidth the elementwise workloads are bounded by.</summary>
internal sealed class MemoryBandwidthGroup : IPeerGroup
{
    private const long Bytes = 512L << 20;

    public string Name => "membw";

    public bool AllocatesLargeBuffers => false;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        int n = (int)(Bytes / sizeof(float));
        var source = Tensor.Ones<float>(n);
        var destination = Tensor.Zeros<float>(n);

        // Bytes moved per call: copy reads one buffer and writes the other, fill writes one, sum reads one. All three
        // are the library's, as the peer's are torch's dst.copy_(src), dst.fill_(1.5) and src.sum().
        var copy = Measure(() => destination.CopyFrom(source), settings);
        yield return PeerRecord.MemoryBound("membw_copy_512MiB_fp32", copy, 2 * Bytes, writes: true, settings.Machine, "gbps_read_plus_write");
        var fill = Measure(() => destination.Fill(1.5f), settings);
        yield return PeerRecord.MemoryBound("membw_fill_512MiB_fp32", fill, Bytes, writes: true, settings.Machine, "gbps_write");
        var sum = Measure(() => source.Sum(), settings);
        yield return PeerRecord.MemoryBound("membw_sum_512MiB_fp32", sum, Bytes, writes: false, settings.Machine, "gbps_read");
    }

    private static JsonObject Measure(Action action, SamplingSettings settings) => Sampler.Measure(action, settings, minSampleSeconds: 0);
}
