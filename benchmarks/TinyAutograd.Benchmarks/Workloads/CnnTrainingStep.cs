using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// One training step of the peer's CNN on a fixed batch of 128 standard-normal 28×28 images with uniform labels:
/// conv 1→32 (3×3, padding 1), ReLU, 2×2 max pooling, conv 32→64, ReLU, 2×2 max pooling, flatten (64·7·7), linear
/// 3136→128, ReLU, linear 128→10; cross-entropy, Adam with learning rate 10⁻³. Every layer keeps PyTorch's default
/// initialization.
/// </summary>
public sealed class CnnTrainingStep : IModelStep
{
    private const int BatchSize = 128;

    private readonly Sequential<float> _model;
    private readonly ClassificationBatch<float> _batch;
    private readonly Adam<float> _optimizer;
    private readonly Tensor<float> _images;

    public CnnTrainingStep(ulong seed = 0)
    {
        var random = new RandomSource(seed);
        _model = new Sequential<float>(
            new Conv2d<float>(1, 32, 3, random, padding: 1), new Relu<float>(), new MaxPool2d<float>(2),
            new Conv2d<float>(32, 64, 3, random, padding: 1), new Relu<float>(), new MaxPool2d<float>(2),
            new Flatten<float>(), new Linear<float>(64 * 7 * 7, 128, random), new Relu<float>(), new Linear<float>(128, 10, random));
        _batch = new ClassificationBatch<float>(BatchSize, 28 * 28, 10, random);
        _images = _batch.Inputs.Reshape(BatchSize, 1, 28, 28);
        _optimizer = new Adam<float>(_model.Parameters(), new AdamOptions { LearningRate = 1e-3 });
    }

    /// <inheritdoc/>
    public string Label => $"cnn_train_step_fashion_b{BatchSize}_adam";

    /// <inheritdoc/>
    public long ParameterCount => _model.ParameterCount;

    /// <inheritdoc/>
    public float Run()
    {
        _optimizer.ZeroGrad();
        var loss = Loss.CrossEntropy(_model.Forward(_images), _batch.Labels);
        loss.Backward();
        _optimizer.Step();
        return loss.ToScalar();
    }
}
