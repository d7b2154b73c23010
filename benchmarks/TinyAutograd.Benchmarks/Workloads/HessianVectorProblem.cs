namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// The peer's Hessian-vector workload: the cross-entropy of a 784-256-10 tanh network on a batch of 128, as a function of
/// all four parameters (W₁, b₁, W₂, b₂), with a fixed random direction v per parameter.
/// </summary>
public sealed class HessianVectorProblem
{
    private const int BatchSize = 128, Inputs = 784, Hidden = 256, Classes = 10;

    private readonly ClassificationBatch<float> _batch;

    public HessianVectorProblem(ulong seed = 0)
    {
        var random = new RandomSource(seed);
        _batch = new ClassificationBatch<float>(BatchSize, Inputs, Classes, random);
        Parameters =
        [
            (random.Normal<float>([Hidden, Inputs]) / Math.Sqrt(Inputs)).RequireGrad(),
            Tensor.Zeros<float>(Hidden).RequireGrad(),
            (random.Normal<float>([Classes, Hidden]) / Math.Sqrt(Hidden)).RequireGrad(),
            Tensor.Zeros<float>(Classes).RequireGrad(),
        ];
        Directions = [.. Parameters.Select(p => random.Normal<float>(p.Shape.ToArray()))];
    }

    /// <summary>The name shared with the peer's records.</summary>
    public const string Label = "mlp_784-256-10_tanh_b128";

    /// <summary>W₁ [256, 784], b₁ [256], W₂ [10, 256], b₂ [10].</summary>
    public Tensor<float>[] Parameters { get; }

    /// <summary>One direction per parameter, of the parameter's shape.</summary>
    public Tensor<float>[] Directions { get; }

    /// <summary>The loss at the given parameters (W₁, b₁, W₂, b₂).</summary>
    public Tensor<float> Loss(Tensor<float>[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var hidden = (Tensor.MatMul(_batch.Inputs, parameters[0], transposeRight: true) + parameters[1]).Tanh();
        var logits = Tensor.MatMul(hidden, parameters[2], transposeRight: true) + parameters[3];
        return TinyAutograd.Loss.CrossEntropy(logits, _batch.Labels);
    }

    /// <summary>∇f at the parameters.</summary>
    public Tensor<float>[] Gradient() => AutoDiff.Gradients(Loss(Parameters), Parameters);

    /// <summary>∇²f·v by the given method.</summary>
    public Tensor<float>[] HessianVectorProduct(HessianVectorMethod method) =>
        AutoDiff.HessianVectorProduct(Loss, Parameters, Directions, method);
}
