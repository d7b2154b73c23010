namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>The single operations the per-op benchmarks time, on a float32 [rows, columns] input x.</summary>
public enum OpCase
{
    /// <summary>x + b with b of shape [columns], broadcast over the rows.</summary>
    AddBroadcast,

    /// <summary>x · y, same shapes.</summary>
    Multiply,

    /// <summary>σ(x).</summary>
    Sigmoid,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>exp(x).</summary>
    Exp,

    /// <summary>log Σ exp(x) along each row.</summary>
    LogSumExpRows,

    /// <summary>Mean cross-entropy of x as logits against integer labels.</summary>
    SoftmaxCrossEntropy,

    /// <summary>Σ over axis 0 (the reduction a broadcast bias's gradient needs).</summary>
    SumAxis0,
}
