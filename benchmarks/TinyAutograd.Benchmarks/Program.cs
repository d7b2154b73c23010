using BenchmarkDotNet.Running;
using TinyAutograd.Benchmarks.Peer;

// `peer …` runs the side-by-side workloads of shared/bench/torch_peer.py (see benchmarks/peer/compare.sh);
// anything else goes to BenchmarkDotNet, e.g. `-- --filter '*Mlp*'`.
if (args.Length > 0 && args[0] == "peer")
{
    return PeerCommand.Run(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(PeerCommand).Assembly).Run(args);
return 0;
