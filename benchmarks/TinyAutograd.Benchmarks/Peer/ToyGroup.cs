using System.Diagnostics;
using System.Text.Json.Nodes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>The lectures' sigmoid neuron, 1000 epochs of gradient descent with autodiff gradients, checked against hand-derived float64 gradients.</summary>
internal sealed class ToyGroup : IPeerGroup
{
    public string Name => "toy";

    public bool AllocatesLargeBuffers => false;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        var timing = Sampler.Measure(() => SigmoidNeuronToy.FitWithAutodiff(), settings, minSampleSeconds: 0, minRepeats: 3, warmupCalls: 1);
        var (w, b, loss) = SigmoidNeuronToy.FitWithAutodiff();
        long began = Stopwatch.GetTimestamp();
        var (referenceW, referenceB, referenceLoss) = SigmoidNeuronToy.FitByHand();
        double referenceSeconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        yield return PeerRecord.Create("sigmoid_neuron_toy_gd_1000epochs", timing,
            ("us_per_epoch", JsonLines.Round(PeerRecord.Seconds(timing) / SigmoidNeuronToy.Epochs * 1e6)),
            ("w", w), ("b", b), ("loss", loss),
            ("ref_w", referenceW), ("ref_b", referenceB), ("ref_loss", referenceLoss),
            ("hand_written_csharp_ref_seconds", JsonLines.Round(referenceSeconds)));
    }
}
