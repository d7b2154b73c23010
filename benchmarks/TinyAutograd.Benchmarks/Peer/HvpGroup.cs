using System.Text.Json.Nodes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// The gradient and the Hessian-vector product of a 784-256-10 tanh network's loss, batch 128, and the product's cost
/// as a multiple of the gradient's. Reverse-over-reverse is reported under the peer's <c>hvp_double_backward</c> name (the
/// same algorithm through each library's API: the peer forms the gradient, whose values its API hands back, and ours records
/// the weight gradient for its graph alone, as nothing reads it); the library's default, forward-over-reverse, under
/// <c>hvp_functional_hvp</c> (each library's HVP API).
/// Each record also gives the call's peak tensor memory (<see cref="TensorMemory.Measure"/>, with the timing's arena
/// setting) and its multiple of the gradient's.
/// </summary>
internal sealed class HvpGroup : IPeerGroup
{
    public string Name => "hvp";

    public bool AllocatesLargeBuffers => true;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        var problem = new HessianVectorProblem();
        var gradient = Sampler.Measure(() => problem.Gradient(), settings);
        double baseline = PeerRecord.Seconds(gradient);
        long gradientPeak = PeakBytes(() => problem.Gradient(), settings);
        yield return PeerRecord.Create($"grad_{HessianVectorProblem.Label}", gradient, ("ratio_to_grad", 1.0),
            ("peak_kb", JsonLines.Round(gradientPeak / 1024.0)), ("peak_ratio_to_grad", 1.0));

        var reference = problem.HessianVectorProduct(HessianVectorMethod.ReverseOverReverse);
        foreach (var (name, method) in ((string, HessianVectorMethod)[])[
            ("hvp_double_backward", HessianVectorMethod.ReverseOverReverse),
            ("hvp_functional_hvp", HessianVectorMethod.ForwardOverReverse)])
        {
            var timing = Sampler.Measure(() => problem.HessianVectorProduct(method), settings);
            var product = problem.HessianVectorProduct(method);
            double difference = product.Zip(reference, MaxAbsoluteDifference).Max();
            long peak = PeakBytes(() => problem.HessianVectorProduct(method), settings);
            yield return PeerRecord.Create($"{name}_{HessianVectorProblem.Label}", timing,
                ("method", method.ToString()),
                ("ratio_to_grad", JsonLines.Round(PeerRecord.Seconds(timing) / baseline)),
                ("max_abs_diff_vs_double_backward", difference),
                ("peak_kb", JsonLines.Round(peak / 1024.0)),
                ("peak_ratio_to_grad", JsonLines.Round((double)peak / gradientPeak)));
        }
    }

    /// <summary>The peak of live tensor bytes of one call, inside an arena when the timing used one.</summary>
    private static long PeakBytes(Action action, SamplingSettings settings) => TensorMemory.Measure(Sampler.InArena(action, settings)).PeakBytes;

    private static double MaxAbsoluteDifference(Tensor<float> a, Tensor<float> b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a.Data[i] - b.Data[i]));
        }
        return max;
    }
}
