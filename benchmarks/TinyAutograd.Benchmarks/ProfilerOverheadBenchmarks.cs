using BenchmarkDotNet.Attributes;
using TinyAutograd.Profiling;

namespace TinyAutograd.Benchmarks;

/// <summary>
/// What the profiler costs per op: a tiny recorded op (the sum of two 4-element float32 tensors, one requiring grad) a
/// thousand times with the profiler off and on (started before and stopped after the thousand, its report built), and
/// the check the recording point makes when it is off, alone.
/// </summary>
[MemoryDiagnoser]
public class ProfilerOverheadBenchmarks
{
    private const int Ops = 1000;
    private Tensor<float> _x = null!;
    private Tensor<float> _y = null!;

    [GlobalSetup]
    public void Setup()
    {
        _x = Tensor.Normal<float>([4], seed: 1).RequireGrad();
        _y = Tensor.Normal<float>([4], seed: 2);
        // The machine probe runs on the first start: not in the measured calls.
        _ = MachineLimits.Measured;
    }

    /// <summary>The op with the profiler off: its recording point checks once whether a profiler runs.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Ops)]
    public Tensor<float> TinyOpProfilerOff() => Run();

    /// <summary>The op with the profiler on, its events kept and the report built at the end.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public int TinyOpProfilerOn()
    {
        var profiler = Profiler.Start();
        Run();
        return profiler.Stop().Events.Count;
    }

    /// <summary>The check alone: one read of a volatile field.</summary>
    [Benchmark]
    public bool RecordingPointCheck() => Profiler.IsRunning;

    private Tensor<float> Run()
    {
        var sum = _x;
        for (int i = 0; i < Ops; i++)
        {
            sum = _x + _y;
        }
        return sum;
    }
}
