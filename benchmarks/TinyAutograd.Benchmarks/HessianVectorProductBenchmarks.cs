using BenchmarkDotNet.Attributes;

namespace TinyAutograd.Benchmarks;

/// <summary>
/// Exact Hessian-vector products against a plain gradient on the MLP of shared/bench/torch_peer.py's <c>hvp</c>
/// workload: 784-256-10, tanh, batch 128, mean cross-entropy, float32, W1 ~ N(0, 1)/√784, W2 ~ N(0, 1)/√256, zero
/// biases, v ~ N(0, 1) per parameter. The peer reports each HVP as a ratio to its gradient; compare those ratios.
/// </summary>
/// <remarks>Each call runs inside a <see cref="TensorArena"/>, as a training loop would, and returns one element so
/// that the work cannot be skipped.</remarks>
[MemoryDiagnoser]
public class HessianVectorProductBenchmarks
{
    private const int Batch = 128, Inputs = 784, Hidden = 256, Classes = 10;

    private Tensor<float> _x = null!;
    private int[] _labels = null!;
    private Tensor<float>[] _parameters = null!;
    private Tensor<float>[] _vectors = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(0);
        _x = random.Normal<float>([Batch, Inputs]);
        _labels = [.. Enumerable.Range(0, Batch).Select(_ => random.NextInt(Classes))];
        _parameters =
        [
            random.Normal<float>([Hidden, Inputs], std: 1 / Math.Sqrt(Inputs)),
            Tensor.Zeros<float>(Hidden),
            random.Normal<float>([Classes, Hidden], std: 1 / Math.Sqrt(Hidden)),
            Tensor.Zeros<float>(Classes),
        ];
        _vectors = [.. _parameters.Select(p => random.Normal<float>(p.Shape.ToArray()))];
    }

    /// <summary>∇L: one forward and one backward pass (the peer's <c>plain_grad</c>).</summary>
    [Benchmark(Baseline = true)]
    public float Gradient()
    {
        using var arena = TensorArena.Begin();
        return AutoDiff.ValueAndGradients(Loss, _parameters).Gradients[0].Data[0];
    }

    /// <summary>∇²L·v as the JVP of the gradient: one forward and one backward pass, both carrying tangents.</summary>
    [Benchmark]
    public float ForwardOverReverse() => HessianVectorProduct(HessianVectorMethod.ForwardOverReverse);

    /// <summary>∇²L·v as the gradient of ⟨∇L, v⟩: a recorded backward, then a backward through it (the peer's
    /// <c>hvp_double_backward</c>).</summary>
    [Benchmark]
    public float ReverseOverReverse() => HessianVectorProduct(HessianVectorMethod.ReverseOverReverse);

    private float HessianVectorProduct(HessianVectorMethod method)
    {
        using var arena = TensorArena.Begin();
        return AutoDiff.HessianVectorProduct(Loss, _parameters, _vectors, method)[0].Data[0];
    }

    /// <summary>L(W1, b1, W2, b2) = CE(tanh(x·W1ᵀ + b1)·W2ᵀ + b2, labels), averaged over the batch.</summary>
    private Tensor<float> Loss(Tensor<float>[] p)
    {
        var hidden = (Tensor<float>.MatMul(_x, p[0], transposeRight: true) + p[1]).Tanh();
        var logits = Tensor<float>.MatMul(hidden, p[2], transposeRight: true) + p[3];
        return TinyAutograd.Loss.CrossEntropy(logits, _labels, Reduction.Mean);
    }
}
