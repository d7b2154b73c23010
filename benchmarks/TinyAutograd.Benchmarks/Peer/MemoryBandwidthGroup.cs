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
        var destination = GC.AllocateUninitializedArray<float>(n);

        // Bytes moved per call: copy reads one buffer and writes the other, fill writes one, sum reads one. The sum is
        // the library's, as the peer's is torch's src.sum().
        var copy = Measure(() => source.Data.CopyTo(destination), settings);
        yield return PeerRecord.MemoryBound("membw_copy_512MiB_fp32", copy, 2 * Bytes, writes: true, settings.Machine, "gbps_read_plus_write");
        var fill = Measure(() => destination.AsSpan().Fill(1.5f), settings);
        yield return PeerRecord.MemoryBound("membw_fill_512MiB_fp32", fill, Bytes, writes: true, settings.Machine, "gbps_write");
        var sum = Measure(() => source.Sum(), settings);
        yield return PeerRecord.MemoryBound("membw_sum_512MiB_fp32", sum, Bytes, writes: false, settings.Machine, "gbps_read");
    }

    private static JsonObject Measure(Action action, SamplingSettings settings) => Sampler.Measure(action, settings, minSampleSeconds: 0);
}
