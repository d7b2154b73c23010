using System.Numerics.Tensors;
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
        var source = new float[n];
        source.AsSpan().Fill(1f);
        var destination = GC.AllocateUninitializedArray<float>(n);

        var copy = Measure(() => source.AsSpan().CopyTo(destination), settings);
        yield return PeerRecord.Create("membw_copy_512MiB_fp32", copy, ("gbps_read_plus_write", Rate(2 * Bytes, copy)));
        var fill = Measure(() => destination.AsSpan().Fill(1.5f), settings);
        yield return PeerRecord.Create("membw_fill_512MiB_fp32", fill, ("gbps_write", Rate(Bytes, fill)));
        var sum = Measure(() => TensorPrimitives.Sum<float>(source), settings);
        yield return PeerRecord.Create("membw_sum_512MiB_fp32", sum, ("gbps_read", Rate(Bytes, sum)));
    }

    private static JsonObject Measure(Action action, SamplingSettings settings) => Sampler.Measure(action, settings, minSampleSeconds: 0);

    private static double Rate(long bytes, JsonObject timing) => JsonLines.Round(bytes / PeerRecord.Seconds(timing) / 1e9);
}
