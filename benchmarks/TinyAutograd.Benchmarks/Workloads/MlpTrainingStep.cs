using System.Numerics.Tensors;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// One training step of a float32 classifier on a fixed batch, as in the PyTorch peer: clear the gradients, cross-entropy
/// of the logits against integer labels, backward, optimizer update.
/// </summary>
public sealed class MlpTrainingStep
{
    /// <summary>The peer's network: 784-256-256-10.</summary>
    public static readonly int[] PeerSizes = [784, 256, 256, 10];

    /// <summary>The peer's batch size.</summary>
    public const int PeerBatchSize = 128;

    private const float SgdLearningRate = 0.01f;

    private readonly MultilayerPerceptron<float> _model;
    private readonly ClassificationBatch<float> _batch;
    private readonly Tensor<float>[] _parameters;

    public MlpTrainingStep(int[] sizes, int batchSize, Activation activation, Optimizer optimizer, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (!Supports(optimizer))
        {
            throw new NotSupportedException($"MlpTrainingStep: the {optimizer} optimizer is not available in the library yet.");
        }
        var random = new RandomSource(seed);
        _model = new MultilayerPerceptron<float>(sizes, activation, random);
        _batch = new ClassificationBatch<float>(batchSize, sizes[0], sizes[^1], random);
        _parameters = [.. _model.Parameters];
    }

    /// <summary>The number of trainable values.</summary>
    public int ParameterCount => _parameters.Sum(p => p.Length);

    /// <summary>Whether the library provides <paramref name="optimizer"/>.</summary>
    public static bool Supports(Optimizer optimizer) => optimizer == Optimizer.Sgd;

    /// <summary>Runs one step and returns the loss before the update.</summary>
    public float Run()
    {
        foreach (var parameter in _parameters)
        {
            parameter.Grad = null;
        }
        var loss = Loss.CrossEntropy(_model.Forward(_batch.Inputs), _batch.Labels);
        loss.Backward();
        using (GradMode.Disable())
        {
            foreach (var parameter in _parameters)
            {
                var values = parameter.GetSpanForWrite();
                TensorPrimitives.MultiplyAdd(parameter.Grad!.Data, -SgdLearningRate, values, values);
            }
        }
        return loss.ToScalar();
    }
}
