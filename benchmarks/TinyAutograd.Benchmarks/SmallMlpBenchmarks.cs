using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;
using TinyAutograd.Nn;

namespace TinyAutograd.Benchmarks;

/// <summary>Forward and backward of a small float64 network (4-32-32-1, tanh, batch 64, squared error): the per-op overheads at small sizes.</summary>
[MemoryDiagnoser]
public class SmallMlpBenchmarks
{
    private Sequential<double> _model = null!;
    private Tensor<double>[] _parameters = null!;
    private Tensor<double> _inputs = null!;
    private Tensor<double> _targets = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(0);
        _model = MultilayerPerceptron.Create<double>([4, 32, 32, 1], Activation.Tanh, random);
        _parameters = [.. _model.Parameters()];
        _inputs = random.Normal<double>([64, 4]);
        _targets = random.Normal<double>([64, 1]);
    }

    [Benchmark]
    public double ForwardBackward()
    {
        foreach (var parameter in _parameters)
        {
            parameter.Grad = null;
        }
        var loss = Loss.SquaredError(_model.Forward(_inputs), _targets);
        loss.Backward();
        return loss.ToScalar();
    }
}
