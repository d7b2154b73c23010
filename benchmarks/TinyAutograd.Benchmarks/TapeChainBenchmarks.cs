using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks;

/// <summary>10,000 steps of x ← x·1.0001 + 0.0001 on a one-element tensor: the fixed cost per op of computing, recording and walking back.</summary>
[MemoryDiagnoser]
public class TapeChainBenchmarks
{
    private const int Iterations = 10_000;

    private readonly Tensor<float> _start = Tensor.Ones<float>(1).RequireGrad();

    [Benchmark]
    public Tensor<float> ForwardUnrecorded()
    {
        using (GradMode.Disable())
        {
            return TapeChain.Run(_start, Iterations);
        }
    }

    [Benchmark]
    public Tensor<float> ForwardRecorded() => TapeChain.Run(_start, Iterations);

    [Benchmark]
    public float ForwardBackward()
    {
        _start.Grad = null;
        TapeChain.Run(_start, Iterations).Backward();
        return _start.Grad!.ToScalar();
    }
}
