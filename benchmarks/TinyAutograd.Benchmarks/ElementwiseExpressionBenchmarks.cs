using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks;

/// <summary>The peer's elementwise workload σ(x)·x + e⁻ˣ on 1M float32 elements: forward unrecorded, and forward plus backward.</summary>
[MemoryDiagnoser]
public class ElementwiseExpressionBenchmarks
{
    private const int Elements = 1 << 20;

    private Tensor<float> _x = null!;
    private Tensor<float> _seed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _x = new RandomSource(0).Normal<float>([Elements]).RequireGrad();
        _seed = Tensor.Ones<float>(Elements);
    }

    [Benchmark]
    public Tensor<float> Forward()
    {
        using (GradMode.Disable())
        {
            return ElementwiseExpression.Evaluate(_x);
        }
    }

    [Benchmark]
    public void ForwardBackward()
    {
        _x.Grad = null;
        ElementwiseExpression.Evaluate(_x).Backward(_seed);
    }
}
