using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks;

/// <summary>
/// Layer normalization of a float32 [64, 512] batch, forward plus backward to x, γ and β: as one custom operation
/// (forward loop saving x̂ and r, one backward call for all inputs) against the composite of built-in ops.
/// </summary>
[MemoryDiagnoser]
public class CustomLayerNormBenchmarks
{
    private readonly CustomLayerNorm<float> _custom = new();
    private Tensor<float> _x = null!, _gamma = null!, _beta = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(1);
        _x = random.Normal<float>([64, 512]).RequireGrad();
        _gamma = random.Normal<float>([512]).RequireGrad();
        _beta = random.Normal<float>([512]).RequireGrad();
    }

    [Benchmark(Baseline = true)]
    public void Composite() => Run(CustomLayerNorm<float>.Composite(_x, _gamma, _beta));

    [Benchmark]
    public void CustomOperation() => Run(_custom.Apply(_x, _gamma, _beta));

    private void Run(Tensor<float> y)
    {
        _x.Grad = null;
        _gamma.Grad = null;
        _beta.Grad = null;
        y.Sum().Backward();
    }
}
