using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// One training step of the peer's character LSTM: embedding 65→64, one batch-first LSTM layer of 256, linear 256→65;
/// cross-entropy at every position of a fixed batch of 32 random token sequences of 64 (targets shifted by one), global
/// gradient-norm clipping at 1, Adam with learning rate 2·10⁻³. Every layer keeps PyTorch's default initialization.
/// </summary>
public sealed class CharacterLstmStep : IModelStep
{
    /// <summary>The vocabulary size.</summary>
    public const int Vocabulary = 65;

    private const int BatchSize = 32;
    private const int SequenceLength = 64;

    private readonly Embedding<float> _embedding;
    private readonly Lstm<float> _lstm;
    private readonly Linear<float> _head;
    private readonly Adam<float> _optimizer;
    private readonly TokenBatch _batch;

    public CharacterLstmStep(ulong seed = 0)
    {
        var random = new RandomSource(seed);
        _embedding = new Embedding<float>(Vocabulary, 64, random);
        _lstm = new Lstm<float>(64, 256, random, batchFirst: true);
        _head = new Linear<float>(256, Vocabulary, random);
        _batch = new TokenBatch(BatchSize, SequenceLength, Vocabulary, random);
        Parameters = [.. _embedding.Parameters(), .. _lstm.Parameters(), .. _head.Parameters()];
        _optimizer = new Adam<float>(Parameters, new AdamOptions { LearningRate = 2e-3 });
    }

    /// <summary>Every trainable tensor of the model.</summary>
    public IReadOnlyList<Tensor<float>> Parameters { get; }

    /// <inheritdoc/>
    public long ParameterCount => Parameters.Sum(parameter => (long)parameter.Length);

    /// <inheritdoc/>
    public string Label => $"lstm_char_train_step_b{BatchSize}_t{SequenceLength}_h256_adam";

    /// <inheritdoc/>
    public float Run()
    {
        _optimizer.ZeroGrad();
        var (hidden, _) = _lstm.Forward(_embedding.Forward(_batch.Inputs, BatchSize, SequenceLength));
        var logits = _head.Forward(hidden.Reshape(BatchSize * SequenceLength, _lstm.HiddenSize));
        var loss = Loss.CrossEntropy(logits, _batch.Targets);
        loss.Backward();
        GradientClipping.ClipByGlobalNorm(Parameters, 1.0);
        _optimizer.Step();
        return loss.ToScalar();
    }
}
