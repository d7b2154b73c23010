using TinyAutograd.Nn;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// The peer's Hessian-vector workload: the cross-entropy of a 784-256-10 tanh network on a batch of 128, as a function of
/// all four parameters (fc1.weight, fc1.bias, fc2.weight, fc2.bias), with a fixed random direction v per parameter.
/// </summary>
/// <remarks>Weights start from N(0, 1/in), biases at 0; the loss is evaluated at other parameters through <see cref="Module{T}.WithParameters{TResult}"/>.</remarks>
public sealed class HessianVectorProblem
{
    private const int BatchSize = 128, Inputs = 784, Hidden = 256, Classes = 10;

    private readonly ClassificationBatch<float> _batch;
    private readonly Sequential<float> _model;

    public HessianVectorProblem(ulong seed = 0)
    {
        var random = new RandomSource(seed);
        _batch = new ClassificationBatch<float>(BatchSize, Inputs, Classes, random);
        _model = new Sequential<float>(Layer(Inputs, Hidden, random), new Tanh<float>(), Layer(Hidden, Classes, random));
        Parameters = [.. _model.Parameters()];
        Directions = [.. Parameters.Select(p => random.Normal<float>(p.Shape.ToArray()))];
    }

    /// <summary>The name shared with the peer's records.</summary>
    public const string Label = "mlp_784-256-10_tanh_b128";

    /// <summary>W₁ [256, 784], b₁ [256], W₂ [10, 256], b₂ [10].</summary>
    public Tensor<float>[] Parameters { get; }

    /// <summary>One direction per parameter, of the parameter's shape.</summary>
    public Tensor<float>[] Directions { get; }

    /// <summary>The loss at the given parameters (W₁, b₁, W₂, b₂).</summary>
    public Tensor<float> Loss(Tensor<float>[] parameters) =>
        _model.WithParameters(parameters, () => TinyAutograd.Loss.CrossEntropy(_model.Forward(_batch.Inputs), _batch.Labels));

    /// <summary>∇f at the parameters.</summary>
    public Tensor<float>[] Gradient() => AutoDiff.Gradients(Loss(Parameters), Parameters);

    /// <summary>∇²f·v by the given method.</summary>
    public Tensor<float>[] HessianVectorProduct(HessianVectorMethod method) =>
        AutoDiff.HessianVectorProduct(Loss, Parameters, Directions, method);

    /// <summary>A linear layer with weights from N(0, 1/in) and zero biases.</summary>
    private static Linear<float> Layer(int inputs, int outputs, RandomSource random)
    {
        var layer = new Linear<float>(inputs, outputs, random);
        Init.Normal(layer.Weight, 0, 1 / Math.Sqrt(inputs), random);
        Init.Constant(layer.Bias!, 0);
        return layer;
    }
}
