namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>The hidden-layer nonlinearity of a benchmark network.</summary>
public enum Activation
{
    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,
}
