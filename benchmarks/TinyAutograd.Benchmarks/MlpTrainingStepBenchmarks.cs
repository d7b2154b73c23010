using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks;

/// <summary>One training step of the 784-256-256-10 relu classifier, float32, batch 128 (the PyTorch peer's workload), with and without a buffer-recycling arena.</summary>
[MemoryDiagnoser]
public class MlpTrainingStepBenchmarks
{
    private MlpTrainingStep _step = null!;

    [ParamsAllValues]
    public Optimizer Optimizer { get; set; }

    /// <summary>Whether the step runs inside a <see cref="TensorArena"/> that recycles its buffers.</summary>
    [ParamsAllValues]
    public bool Arena { get; set; }

    [GlobalSetup]
    public void Setup() => _step = new MlpTrainingStep(MlpTrainingStep.PeerSizes, MlpTrainingStep.PeerBatchSize, Activation.Relu, Optimizer, Arena);

    [Benchmark]
    public float TrainingStep() => _step.Run();
}
