using System.Text.Json.Nodes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// Training steps of a 784-256-256-10 float32 classifier, batch 128: relu + SGD, relu + Adam, tanh + SGD (the arena, if
/// any, comes from the sampler). With more than one thread, each also reports our own speed-up over one thread
/// (<see cref="SelfScaling"/>).
/// </summary>
internal sealed class MlpGroup : IPeerGroup
{
    public string Name => "mlp";

    public bool AllocatesLargeBuffers => true;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        var sizes = MlpTrainingStep.PeerSizes;
        int batch = MlpTrainingStep.PeerBatchSize;
        long weights = 0;
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            weights += (long)sizes[i] * sizes[i + 1];
        }
        double flops = 6.0 * batch * weights;
        foreach (var (activation, optimizer) in ((Activation, Optimizer)[])[(Activation.Relu, Optimizer.Sgd), (Activation.Relu, Optimizer.Adam), (Activation.Tanh, Optimizer.Sgd)])
        {
            string name = $"mlp_train_step_{string.Join('-', sizes)}_{activation.ToString().ToLowerInvariant()}_{optimizer.ToString().ToLowerInvariant()}_b{batch}";
            var step = new MlpTrainingStep(sizes, batch, activation, optimizer, useArena: false);
            var timing = Sampler.Measure(() => step.Run(), settings);
            double seconds = PeerRecord.Seconds(timing);
            var record = PeerRecord.Create(name, timing,
                ("steps_per_s", JsonLines.Round(1.0 / seconds)),
                ("gflops_model", JsonLines.Round(flops / seconds / 1e9)),
                ("params", step.ParameterCount));
            SelfScaling.AddTo(record, Sampler.InArena(() => step.Run(), settings), seconds);
            yield return record;
        }
    }
}
