using System.Diagnostics;
using System.Text.Json.Nodes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// The scalar chain x ← x·1.0001 + 0.0001, 10,000 steps: unrecorded forward, recorded forward, forward plus backward,
/// backward alone, and the gradient's value against the exact one.
/// </summary>
internal sealed class TapeGroup : IPeerGroup
{
    private const int Iterations = 10_000;
    private const int Ops = 2 * Iterations;

    public string Name => "tape";

    public bool AllocatesLargeBuffers => false;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        var start = Tensor.Ones<float>(1).RequireGrad();
        int repeats = Math.Max(3, settings.Repeats);
        var unrecorded = Measure(() =>
        {
            using (GradMode.Disable())
            {
                TapeChain.Run(Tensor.Ones<float>(1), Iterations);
            }
        }, settings);
        var recorded = Measure(() => TapeChain.Run(start, Iterations), settings);
        var both = Measure(() => ForwardBackward(start), settings);
        var backwardOnly = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            Sampler.InArena(() =>
            {
                var end = TapeChain.Run(start, Iterations);
                start.Grad = null;
                long began = Stopwatch.GetTimestamp();
                end.Backward();
                backwardOnly[r] = Stopwatch.GetElapsedTime(began).TotalSeconds;
            }, settings)();
        }
        ForwardBackward(start);
        yield return PeerRecord.Create("tape_scalar_chain_10000iters", both,
            ("iterations", Iterations),
            ("ops", Ops),
            ("us_per_op_fwdbwd", PerOp(PeerRecord.Seconds(both))),
            ("us_per_op_fwd_nograd", PerOp(PeerRecord.Seconds(unrecorded))),
            ("us_per_op_fwd_tape", PerOp(PeerRecord.Seconds(recorded))),
            ("us_per_op_bwd_only", PerOp(Sampler.Median(backwardOnly))),
            ("grad", (double)start.Grad!.ToScalar()),
            ("grad_expected", TapeChain.ExpectedGradient(Iterations)));
    }

    private static JsonObject Measure(Action action, SamplingSettings settings) =>
        Sampler.Measure(action, settings, minSampleSeconds: 0, minRepeats: 3, warmupCalls: 1);

    private static void ForwardBackward(Tensor<float> start)
    {
        start.Grad = null;
        TapeChain.Run(start, Iterations).Backward();
    }

    private static double PerOp(double seconds) => JsonLines.Round(seconds / Ops * 1e6);
}
