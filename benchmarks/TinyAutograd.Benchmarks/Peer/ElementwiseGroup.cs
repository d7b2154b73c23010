using System.Text.Json.Nodes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>σ(x)·x + e⁻ˣ over 1M and 16M float32 elements: forward without recording, and forward plus backward.</summary>
internal sealed class ElementwiseGroup : IPeerGroup
{
    private const int BytesPerElement = sizeof(float);

    public string Name => "elementwise";

    public bool AllocatesLargeBuffers => true;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        var random = new RandomSource(0);
        foreach (var (n, label) in ((int, string)[])[(1 << 20, "1M"), (1 << 24, "16M")])
        {
            var x = random.Normal<float>([n]);
            var forward = Sampler.Measure(() =>
            {
                using (GradMode.Disable())
                {
                    // Unrecorded, the five ops wait until the result is read; reading it runs them as one pass.
                    _ = ElementwiseExpression.Evaluate(x).Data;
                }
            }, settings);
            // Bytes moved per call, at best (one fused pass): n elements of x read and of y written.
            yield return Record($"elementwise_fwd_{label}", n, forward, arrays: 2, "2 arrays (read x, write y)", settings.Machine);

            var xg = x.Clone().RequireGrad();
            var seed = Tensor.Ones<float>(n);
            var both = Sampler.Measure(() =>
            {
                xg.ZeroGrad();
                ElementwiseExpression.Evaluate(xg).Backward(seed);
            }, settings);
            // Bytes moved per call, at best: n elements each of x and dy read, of y and dx written.
            yield return Record($"elementwise_fwdbwd_{label}", n, both, arrays: 4, "4 arrays (read x, read dy, write y, write dx)", settings.Machine);
        }
    }

    private static JsonObject Record(string name, int n, JsonObject timing, int arrays, string bytesModel, MachineShare machine) =>
        PeerRecord.MemoryBound(name, timing, (double)arrays * n * BytesPerElement, writes: true, machine, "gbps_fused_model",
            ("elements", n),
            ("melem_per_s", JsonLines.Round(n / PeerRecord.Seconds(timing) / 1e6)),
            ("bytes_model", bytesModel));
}
