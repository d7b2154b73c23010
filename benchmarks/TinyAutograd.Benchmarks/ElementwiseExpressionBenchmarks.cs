using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks;

/// <summary>The peer's elementwise workload σ(x)·x + e⁻ˣ on 1M float32 elements: forward unrecorded, and forward plus backward, with and without a buffer-recycling arena.</summary>
[MemoryDiagnoser]
public class ElementwiseExpressionBenchmarks
{
    private const int Elements = 1 << 20;

    private Tensor<float> _x = null!;
    private Tensor<float> _seed = null!;

    /// <summary>Whether each call runs inside a <see cref="TensorArena"/> that recycles its buffers.</summary>
    [ParamsAllValues]
    public bool Arena { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = new RandomSource(0).Normal<float>([Elements]).RequireGrad();
        _seed = Tensor.Ones<float>(Elements);
    }

    [Benchmark]
    public void Forward()
    {
        using var arena = Arena ? TensorArena.Begin() : null;
        using (GradMode.Disable())
        {
            // Unrecorded, the ops wait until the result is read: reading it computes them.
            _ = ElementwiseExpression.Evaluate(_x).Data;
        }
    }

    [Benchmark]
    public void ForwardBackward()
    {
        using var arena = Arena ? TensorArena.Begin() : null;
        _x.Grad = null;
        ElementwiseExpression.Evaluate(_x).Backward(_seed);
    }
}
