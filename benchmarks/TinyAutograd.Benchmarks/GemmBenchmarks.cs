using BenchmarkDotNet.Attributes;
using TinyAutograd.Kernels;

namespace TinyAutograd.Benchmarks;

/// <summary>Square C = A·B with <see cref="Gemm.Multiply{T}"/> into a preallocated C, float and double, on all cores the kernel may use.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _floatA = null!, _floatB = null!, _floatC = null!;
    private double[] _doubleA = null!, _doubleB = null!, _doubleC = null!;

    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(0);
        _floatA = random.Normal<float>([N, N]).ToArray();
        _floatB = random.Normal<float>([N, N]).ToArray();
        _floatC = new float[N * N];
        _doubleA = random.Normal<double>([N, N]).ToArray();
        _doubleB = random.Normal<double>([N, N]).ToArray();
        _doubleC = new double[N * N];
    }

    [Benchmark]
    public void Float() => Gemm.Multiply<float>(_floatA, false, _floatB, false, _floatC, N, N, N);

    [Benchmark]
    public void Double() => Gemm.Multiply<double>(_doubleA, false, _doubleB, false, _doubleC, N, N, N);
}
