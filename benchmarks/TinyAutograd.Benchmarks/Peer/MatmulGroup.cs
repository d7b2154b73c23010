using System.Text.Json.Nodes;
using TinyAutograd.Kernels;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// Square float32 GEMM C = A·B into a preallocated C, N = 256 … 2048 (the peer's <c>torch.mm(x, y, out=z)</c>). With more
/// than one thread, each size also reports our own speed-up over one thread, from back-to-back pairs of runs.
/// </summary>
internal sealed class MatmulGroup : IPeerGroup
{
    public string Name => "matmul";

    public bool AllocatesLargeBuffers => false;

    public IEnumerable<JsonObject> Run(SamplingSettings settings)
    {
        var random = new RandomSource(0);
        foreach (int n in (int[])[256, 512, 1024, 2048])
        {
            var a = random.Normal<float>([n, n]);
            var b = random.Normal<float>([n, n]);
            var c = new float[n * n];
            void Product() => Gemm.Multiply<float>(a.Data, false, b.Data, false, c, n, n, n);
            var record = Sampler.Measure(Product, settings);
            double seconds = PeerRecord.Seconds(record);
            double flops = 2.0 * n * n * n;
            var result = PeerRecord.ComputeBound($"matmul_fwd_N{n}", record, flops, settings.Machine, ("N", n));
            SelfScaling.AddTo(result, Product, seconds);
            yield return result;
        }
    }
}
