namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>The elementwise workload shared with the PyTorch peer: y = σ(x)·x + e⁻ˣ.</summary>
public static class ElementwiseExpression
{
    /// <summary>σ(x)·x + exp(−x), elementwise.</summary>
    public static Tensor<float> Evaluate(Tensor<float> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Sigmoid() * x + (-x).Exp();
    }
}
