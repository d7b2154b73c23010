using TinyAutograd.Examples.Characters;
using TinyAutograd.Nn;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// A decoder-only character transformer: token and learned position embeddings, pre-norm blocks of causal attention
/// and MLP, a final LayerNorm and a linear head of next-character logits.
/// </summary>
/// <remarks>For ids c₁…c_T: x⁰ₜ = E[cₜ] + P[t]; xˡ = blockₗ(xˡ⁻¹); logitsₜ = LN(xᴸₜ)·Wᵀ + b predicts cₜ₊₁ from c₁…cₜ.</remarks>
internal sealed class CharacterTransformer : CharacterModel
{
    private readonly Embedding<float> _tokens;
    private readonly Embedding<float> _positions;
    private readonly Sequential<float> _blocks;
    private readonly LayerNorm<float> _finalNorm;
    private readonly Linear<float> _head;

    public CharacterTransformer(int vocabularySize, int contextLength, int modelSize, int heads, int layers, RandomSource random)
    {
        ContextLength = contextLength;
        _tokens = RegisterModule("token_embedding", new Embedding<float>(vocabularySize, modelSize, random));
        _positions = RegisterModule("position_embedding", new Embedding<float>(contextLength, modelSize, random));
        _blocks = RegisterModule("blocks", new Sequential<float>([.. Enumerable.Range(0, layers).Select(_ => (Layer<float>)new TransformerBlock(modelSize, heads, random))]));
        _finalNorm = RegisterModule("ln_f", new LayerNorm<float>(modelSize));
        _head = RegisterModule("head", new Linear<float>(modelSize, vocabularySize, random));
    }

    /// <summary>The longest window the position embedding covers.</summary>
    public int ContextLength { get; }

    /// <summary>Logits [batch·sequence, vocabulary] for the ids [batch, sequence] (row-major), sequence ≤ the context length.</summary>
    public Tensor<float> Forward(int[] ids, int batchSize, int sequenceLength)
    {
        var positions = _positions.Forward([.. Enumerable.Range(0, sequenceLength)], 1, sequenceLength);
        var x = _blocks.Forward(_tokens.Forward(ids, batchSize, sequenceLength) + positions);
        return _head.Forward(_finalNorm.Forward(x).Reshape(batchSize * sequenceLength, x.Shape[2]));
    }

    /// <summary>The mean cross-entropy (nats) of the batch's targets.</summary>
    public override Tensor<float> Loss(CharacterBatch batch) =>
        TinyAutograd.Loss.CrossEntropy(Forward(batch.Inputs, batch.BatchSize, batch.SequenceLength), batch.Targets);

    /// <summary><paramref name="length"/> characters drawn one at a time at <paramref name="temperature"/>, each from the last context-length characters.</summary>
    public override string Generate(CharacterVocabulary vocabulary, string prompt, int length, double temperature, RandomSource random)
    {
        using var noRecording = GradMode.Disable();
        var ids = new List<int>(vocabulary.Encode(prompt));
        for (int i = 0; i < length; i++)
        {
            int[] window = [.. ids.Skip(Math.Max(0, ids.Count - ContextLength))];
            var logits = Forward(window, 1, window.Length).Slice(0, window.Length - 1, 1);
            ids.Add(CharacterSampler.Sample(logits.Data, temperature, random));
        }
        return vocabulary.Decode(ids);
    }
}
