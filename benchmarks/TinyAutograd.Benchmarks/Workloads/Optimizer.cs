namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>Which update rule a training-step benchmark applies.</summary>
public enum Optimizer
{
    /// <summary>Plain stochastic gradient descent (the library's GradientDescent), learning rate 0.01.</summary>
    Sgd,

    /// <summary>Adam, learning rate 1e-3, β = (0.9, 0.999), δ = 1e-8 (PyTorch's defaults).</summary>
    Adam,
}
