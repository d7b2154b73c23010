using System.Text.Json.Nodes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// A group of one workload, a model's training step (cnn, lstm, transformer): its time, steps per second and size, and
/// with more than one thread our own speed-up over one thread (<see cref="SelfScaling"/>).
/// </summary>
internal sealed class ModelStepGroup(string name, Func<IModelStep> create) : IPeerGroup
{
    public string Name => name;

    public bool AllocatesLargeBuffers => true;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        var step = create();
        var timing = Sampler.Measure(() => step.Run(), settings);
        double seconds = PeerRecord.Seconds(timing);
        var record = PeerRecord.Create(step.Label, timing,
            ("steps_per_s", JsonLines.Round(1.0 / seconds)),
            ("params", step.ParameterCount));
        SelfScaling.AddTo(record, Sampler.InArena(() => step.Run(), settings), seconds);
        yield return record;
    }
}
