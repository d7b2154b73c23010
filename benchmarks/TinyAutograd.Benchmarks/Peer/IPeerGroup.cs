using System.Text.Json.Nodes;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>One group of torch_peer.py's workloads (selected with <c>--only</c>), reimplemented with the library.</summary>
internal interface IPeerGroup
{
    /// <summary>The group's name in torch_peer.py: matmul, elementwise, logsumexp, mlp, tape, hvp, toy, membw, conv, cnn, lstm or transformer.</summary>
    string Name { get; }

    /// <summary>
    /// Whether a call allocates large temporaries, so that <c>--arena auto</c> runs each call inside a
    /// <see cref="TensorArena"/>; chains of tiny tensors run without one, whose per-tensor bookkeeping would cost more
    /// than the buffers it saves.
    /// </summary>
    bool AllocatesLargeBuffers { get; }

    /// <summary>Measures every workload of the group and returns one record per workload, named as the peer names it.</summary>
    IEnumerable<JsonObject> Run(SamplingSettings settings);
}
