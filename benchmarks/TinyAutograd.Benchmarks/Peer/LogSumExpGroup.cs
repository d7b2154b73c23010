using System.Text.Json.Nodes;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>Row-wise log-sum-exp of a 4096×1024 float32 matrix: forward without recording, and forward plus backward of its sum.</summary>
internal sealed class LogSumExpGroup : IPeerGroup
{
    private const int Rows = 4096, Columns = 1024;

    public string Name => "logsumexp";

    public bool AllocatesLargeBuffers => true;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        var x = new RandomSource(0).Normal<float>([Rows, Columns]);
        double bytes = (double)Rows * Columns * sizeof(float);
        var forward = Sampler.Measure(() =>
        {
            using (GradMode.Disable())
            {
                x.LogSumExp(1);
            }
        }, settings);
        // Bytes moved per call by the forward: x read once (its 4096-float result is negligible beside it).
        yield return PeerRecord.MemoryBound("logsumexp_rows_fwd_4096x1024", forward, bytes, writes: false, settings.Machine, "gbps_model",
            ("bytes_model", "1 array (read x)"));

        var xg = x.Clone().RequireGrad();
        var both = Sampler.Measure(() =>
        {
            xg.ZeroGrad();
            xg.LogSumExp(1).Sum().Backward();
        }, settings);
        // Bytes moved per call by forward plus backward: x read by each pass, dx written.
        yield return PeerRecord.MemoryBound("logsumexp_rows_fwdbwd_4096x1024", both, 3 * bytes, writes: true, settings.Machine, "gbps_model",
            ("bytes_model", "3 arrays (read x fwd, read x bwd, write dx)"));
    }
}
