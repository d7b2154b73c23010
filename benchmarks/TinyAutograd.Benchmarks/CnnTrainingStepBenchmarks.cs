using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks;

/// <summary>
/// One Adam training step of the peer's CNN (<see cref="CnnTrainingStep"/>), float32, batch 128, inside a
/// <see cref="TensorArena"/> that recycles its buffers as the peer runner does; the memory diagnoser shows what a
/// steady-state step still allocates and whether any collection reaches generation 2.
/// </summary>
[MemoryDiagnoser]
public class CnnTrainingStepBenchmarks
{
    private readonly CnnTrainingStep _step = new();

    [Benchmark]
    public float TrainingStep()
    {
        using (TensorArena.Begin())
        {
            return _step.Run();
        }
    }
}
