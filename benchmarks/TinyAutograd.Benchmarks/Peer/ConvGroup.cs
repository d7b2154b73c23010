using System.Text.Json.Nodes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>3×3 convolutions, forward and forward+backward (input, weight and bias gradients), at the peer's three shapes.</summary>
internal sealed class ConvGroup : IPeerGroup
{
    public string Name => "conv";

    public bool AllocatesLargeBuffers => true;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        foreach (var (batch, inChannels, outChannels, size) in ((int, int, int, int)[])[(128, 1, 32, 28), (128, 32, 64, 14), (32, 64, 64, 32)])
        {
            var pass = new ConvolutionPass(batch, inChannels, outChannels, size);
            var forward = Sampler.Measure(() => pass.Forward(), settings);
            yield return PeerRecord.ComputeBound($"{pass.Label}_fwd", forward, pass.ForwardFlops, settings.Machine);
            var both = Sampler.Measure(pass.ForwardBackward, settings);
            // The backward adds two products of the forward's size: the input and the weight gradients.
            yield return PeerRecord.ComputeBound($"{pass.Label}_fwdbwd", both, 3 * pass.ForwardFlops, settings.Machine);
        }
    }
}
