using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// One training step of a float32 classifier on a fixed batch, as in the PyTorch peer: clear the gradients, cross-entropy
/// of the logits against integer labels, backward, optimizer update; by default inside a <see cref="TensorArena"/>, the
/// library's way to recycle a step's buffers.
/// </summary>
public sealed class MlpTrainingStep
{
    /// <summary>The peer's network: 784-256-256-10.</summary>
    public static readonly int[] PeerSizes = [784, 256, 256, 10];

    /// <summary>The peer's batch size.</summary>
    public const int PeerBatchSize = 128;

    private readonly Sequential<float> _model;
    private readonly ClassificationBatch<float> _batch;
    private readonly Optimizer<float> _optimizer;
    private readonly bool _useArena;

    public MlpTrainingStep(int[] sizes, int batchSize, Activation activation, Optimizer optimizer, bool useArena = true, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var random = new RandomSource(seed);
        _model = MultilayerPerceptron.Create<float>(sizes, activation, random);
        _batch = new ClassificationBatch<float>(batchSize, sizes[0], sizes[^1], random);
        _optimizer = optimizer switch
        {
            Optimizer.Sgd => new GradientDescent<float>(_model.Parameters(), new GradientDescentOptions { LearningRate = 0.01 }),
            Optimizer.Adam => new Adam<float>(_model.Parameters(), new AdamOptions { LearningRate = 1e-3 }),
            _ => throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer, "MlpTrainingStep: unknown optimizer."),
        };
        _useArena = useArena;
    }

    /// <summary>The number of trainable values.</summary>
    public int ParameterCount => (int)_model.ParameterCount;

    /// <summary>Runs one step and returns the loss before the update.</summary>
    public float Run()
    {
        if (!_useArena)
        {
            return Step();
        }
        using (TensorArena.Begin())
        {
            return Step();
        }
    }

    private float Step()
    {
        _optimizer.ZeroGrad();
        var loss = Loss.CrossEntropy(_model.Forward(_batch.Inputs), _batch.Labels);
        loss.Backward();
        _optimizer.Step();
        return loss.ToScalar();
    }
}
