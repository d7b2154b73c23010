using TinyAutograd.Nn;

namespace TinyAutograd.Examples.Characters;

/// <summary>A character language model as <see cref="CharacterExperiment"/> trains, scores and samples it.</summary>
internal abstract class CharacterModel : Module<float>
{
    /// <summary>The mean cross-entropy (nats) of the batch's next-character targets.</summary>
    public abstract Tensor<float> Loss(CharacterBatch batch);

    /// <summary>The prompt followed by <paramref name="length"/> characters drawn one at a time at <paramref name="temperature"/>.</summary>
    public abstract string Generate(CharacterVocabulary vocabulary, string prompt, int length, double temperature, RandomSource random);
}
