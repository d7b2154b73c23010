using TinyAutograd.Examples.Characters;
using TinyAutograd.Nn;

namespace TinyAutograd.Examples.Models;

/// <summary>A character language model: embedding → LSTM (batch-first) → linear read-out of next-character logits.</summary>
/// <remarks>For ids c₁…c_T: eₜ = E[cₜ], (h₁…h_T) = LSTM(e₁…e_T), logitsₜ = hₜ·Wᵀ + b predicts cₜ₊₁.</remarks>
internal sealed class CharacterLstm : CharacterModel
{
    private readonly Embedding<float> _embedding;
    private readonly Lstm<float> _lstm;
    private readonly Linear<float> _readout;

    public CharacterLstm(int vocabularySize, int embeddingSize, int hiddenSize, int layers, RandomSource random)
    {
        _embedding = RegisterModule("embedding", new Embedding<float>(vocabularySize, embeddingSize, random));
        _lstm = RegisterModule("lstm", new Lstm<float>(embeddingSize, hiddenSize, random, layers, batchFirst: true));
        _readout = RegisterModule("readout", new Linear<float>(hiddenSize, vocabularySize, random));
    }

    /// <summary>Logits [batch·sequence, vocabulary] for the ids [batch, sequence] (row-major), and the LSTM's final state.</summary>
    public (Tensor<float> Logits, RecurrentState<float> State) Forward(int[] ids, int batchSize, int sequenceLength, RecurrentState<float>? state = null)
    {
        var (output, final) = _lstm.Forward(_embedding.Forward(ids, batchSize, sequenceLength), state);
        return (_readout.Forward(output.Reshape(batchSize * sequenceLength, _lstm.HiddenSize)), final);
    }

    /// <summary>The mean cross-entropy (nats) of the batch's targets, each window starting from a zero state.</summary>
    public override Tensor<float> Loss(CharacterBatch batch) =>
        TinyAutograd.Loss.CrossEntropy(Forward(batch.Inputs, batch.BatchSize, batch.SequenceLength).Logits, batch.Targets);

    /// <summary><paramref name="length"/> characters drawn one at a time at <paramref name="temperature"/>, after the prompt.</summary>
    public override string Generate(CharacterVocabulary vocabulary, string prompt, int length, double temperature, RandomSource random)
    {
        using var noRecording = GradMode.Disable();
        var (logits, state) = Forward(vocabulary.Encode(prompt), 1, prompt.Length);
        var last = logits.Slice(0, prompt.Length - 1, 1);
        var generated = new List<int>(length);
        for (int i = 0; i < length; i++)
        {
            int next = CharacterSampler.Sample(last.Data, temperature, random);
            generated.Add(next);
            (last, state) = Forward([next], 1, 1, state);
        }
        return prompt + vocabulary.Decode(generated);
    }
}
