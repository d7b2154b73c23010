using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// One training step of the peer's 2-block character transformer: token embedding 65→128 plus learned positions
/// (128×128, drawn from N(0, 0.02²)), two <see cref="PreNormBlock"/>s of 4 heads, a final layer norm and a linear head
/// 128→65; cross-entropy at every position of a fixed batch of 16 random token sequences of 128 (targets shifted by
/// one), AdamW with learning rate 3·10⁻⁴ and weight decay 0.01.
/// </summary>
public sealed class CharacterTransformerStep : IModelStep
{
    private const int Vocabulary = 65;
    private const int ModelSize = 128;
    private const int BatchSize = 16;
    private const int SequenceLength = 128;

    private readonly Embedding<float> _tokens;
    private readonly Tensor<float> _positions;
    private readonly Sequential<float> _blocks;
    private readonly LayerNorm<float> _finalNorm;
    private readonly Linear<float> _head;
    private readonly AdamW<float> _optimizer;
    private readonly TokenBatch _batch;

    public CharacterTransformerStep(ulong seed = 0)
    {
        var random = new RandomSource(seed);
        _tokens = new Embedding<float>(Vocabulary, ModelSize, random);
        _positions = random.Normal<float>([SequenceLength, ModelSize], std: 0.02).RequireGrad();
        _blocks = new Sequential<float>(new PreNormBlock(ModelSize, 4, random), new PreNormBlock(ModelSize, 4, random));
        _finalNorm = new LayerNorm<float>(ModelSize);
        _head = new Linear<float>(ModelSize, Vocabulary, random);
        _batch = new TokenBatch(BatchSize, SequenceLength, Vocabulary, random);
        Parameters = [.. _tokens.Parameters(), .. _blocks.Parameters(), .. _finalNorm.Parameters(), .. _head.Parameters(), _positions];
        _optimizer = new AdamW<float>(Parameters, new AdamWOptions { LearningRate = 3e-4, WeightDecay = 0.01 });
    }

    /// <summary>Every trainable tensor of the model.</summary>
    public IReadOnlyList<Tensor<float>> Parameters { get; }

    /// <inheritdoc/>
    public long ParameterCount => Parameters.Sum(parameter => (long)parameter.Length);

    /// <inheritdoc/>
    public string Label => $"transformer_char_train_step_2x{ModelSize}_b{BatchSize}_t{SequenceLength}_adamw";

    /// <inheritdoc/>
    public float Run()
    {
        _optimizer.ZeroGrad();
        var hidden = _blocks.Forward(_tokens.Forward(_batch.Inputs, BatchSize, SequenceLength) + _positions);
        var logits = _head.Forward(_finalNorm.Forward(hidden).Reshape(BatchSize * SequenceLength, ModelSize));
        var loss = Loss.CrossEntropy(logits, _batch.Targets);
        loss.Backward();
        _optimizer.Step();
        return loss.ToScalar();
    }
}
