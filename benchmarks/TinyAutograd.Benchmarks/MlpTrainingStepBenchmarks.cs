using BenchmarkDotNet.Attributes;
using TinyAutograd.Benchmarks.Workloads;

namespace TinyAutograd.Benchmarks;

/// <summary>One training step of the 784-256-256-10 relu classifier, float32, batch 128 (the PyTorch peer's workload).</summary>
[MemoryDiagnoser]
public class MlpTrainingStepBenchmarks
{
    private MlpTrainingStep _step = null!;

    [ParamsSource(nameof(AvailableOptimizers))]
    public Optimizer Optimizer { get; set; }

    /// <summary>The optimizers the library provides.</summary>
    public static IEnumerable<Optimizer> AvailableOptimizers => Enum.GetValues<Optimizer>().Where(MlpTrainingStep.Supports);

    [GlobalSetup]
    public void Setup() => _step = new MlpTrainingStep(MlpTrainingStep.PeerSizes, MlpTrainingStep.PeerBatchSize, Activation.Relu, Optimizer);

    [Benchmark]
    public float TrainingStep() => _step.Run();
}
