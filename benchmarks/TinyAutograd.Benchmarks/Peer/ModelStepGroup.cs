using System.Text.Json.Nodes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>A group of one workload, a model's training step (cnn, lstm, transformer): its time, steps per second and size.</summary>
internal sealed class ModelStepGroup(string name, Func<IModelStep> create) : IPeerGroup
{
    public string Name => name;

    public bool AllocatesLargeBuffers => true;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        var step = create();
        var timing = Sampler.Measure(() => step.Run(), settings);
        yield return PeerRecord.Create(step.Label, timing,
            ("steps_per_s", JsonLines.Round(1.0 / PeerRecord.Seconds(timing))),
            ("params", step.ParameterCount));
    }
}
