using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks;

/// <summary>
/// One op at a time on a float32 [256, 1024] input: the forward pass alone (unrecorded) and forward plus backward
/// (recorded, then backward from a ones seed of the output's shape).
/// </summary>
[MemoryDiagnoser]
public class OpBenchmarks
{
    private OpInputs _inputs = null!;
    private Tensor<float> _seed = null!;

    [ParamsAllValues]
    public OpCase Op { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _inputs = new OpInputs(rows: 256, columns: 1024);
        using (GradMode.Disable())
        {
            _seed = Tensor.Ones<float>(_inputs.Apply(Op).Shape.ToArray());
        }
    }

    [Benchmark]
    public Tensor<float> Forward()
    {
        using (GradMode.Disable())
        {
            return _inputs.Apply(Op);
        }
    }

    [Benchmark]
    public void ForwardBackward()
    {
        _inputs.ClearGradients();
        _inputs.Apply(Op).Backward(_seed);
    }
}
