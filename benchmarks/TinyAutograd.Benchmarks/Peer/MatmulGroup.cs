using System.Diagnostics;
using System.Text.Json.Nodes;
using TinyAutograd.Kernels;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>
/// Square float32 GEMM C = A·B into a preallocated C, N = 256 … 2048 (the peer's <c>torch.mm(x, y, out=z)</c>). With more
/// than one thread, each size also reports our own speed-up over one thread, from back-to-back pairs of runs.
/// </summary>
internal sealed class MatmulGroup : IPeerGroup
{
    /// <summary>How many (threads, one thread) pairs the self speed-up is the median of.</summary>
    private const int ScalingPairs = 7;

    /// <summary>Each half of a pair runs the product for at least this long.</summary>
    private const double MinPairSeconds = 0.02;

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
            if (Parallelism.MaxThreads > 1)
            {
                result["speedup_over_1_thread"] = JsonLines.Round(SpeedupOverOneThread(Product, seconds));
            }
            yield return result;
        }
    }

    /// <summary>
    /// The median over <see cref="ScalingPairs"/> pairs of (time with one thread) ÷ (time with the configured threads),
    /// the two halves of each pair run right after each other so that both see the same machine.
    /// </summary>
    private static double SpeedupOverOneThread(Action product, double secondsPerCall)
    {
        int threads = Parallelism.MaxThreads;
        int calls = Math.Max(1, (int)Math.Ceiling(MinPairSeconds / secondsPerCall));
        var ratios = new double[ScalingPairs];
        try
        {
            for (int i = 0; i < ratios.Length; i++)
            {
                Parallelism.MaxThreads = threads;
                double parallel = Time(product, calls);
                Parallelism.MaxThreads = 1;
                ratios[i] = Time(product, calls) / parallel;
            }
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
        return Sampler.Median(ratios);
    }

    private static double Time(Action action, int calls)
    {
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            action();
        }
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
