using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks;

/// <summary>
/// Exact Hessian-vector products against a plain gradient on the MLP of shared/bench/torch_peer.py's <c>hvp</c>
/// workload (<see cref="HessianVectorProblem"/>: 784-256-10, tanh, batch 128, mean cross-entropy, float32). The peer
/// reports each HVP as a ratio to its gradient; compare those ratios with this table's Ratio column.
/// </summary>
/// <remarks>Each call runs inside a <see cref="TensorArena"/>, as a training loop would, and returns one element so
/// that the work cannot be skipped.</remarks>
[MemoryDiagnoser]
public class HessianVectorProductBenchmarks
{
    private HessianVectorProblem _problem = null!;

    [GlobalSetup]
    public void Setup() => _problem = new HessianVectorProblem();

    /// <summary>∇L: one forward and one backward pass (the peer's <c>plain_grad</c>).</summary>
    [Benchmark(Baseline = true)]
    public float Gradient()
    {
        using var arena = TensorArena.Begin();
        return _problem.Gradient()[0].Data[0];
    }

    /// <summary>∇²L·v as the JVP of the gradient: one forward and one backward pass, both carrying tangents.</summary>
    [Benchmark]
    public float ForwardOverReverse() => HessianVectorProduct(HessianVectorMethod.ForwardOverReverse);

    /// <summary>∇²L·v as the gradient of ⟨∇L, v⟩: a recorded backward, then a backward through it (the peer's
    /// <c>hvp_double_backward</c>).</summary>
    [Benchmark]
    public float ReverseOverReverse() => HessianVectorProduct(HessianVectorMethod.ReverseOverReverse);

    private float HessianVectorProduct(HessianVectorMethod method)
    {
        using var arena = TensorArena.Begin();
        return _problem.HessianVectorProduct(method)[0].Data[0];
    }
}
