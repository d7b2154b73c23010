namespace TinyAutograd.Examples.Characters;

/// <summary>What every character-model demonstration sets besides its model's sizes: the training run and the sampling.</summary>
/// <param name="Steps">Training steps (mini-batches).</param>
/// <param name="BatchSize">Windows per mini-batch.</param>
/// <param name="SequenceLength">Characters per window.</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="TextLength">Use only the first this many characters of the text (0: all of it).</param>
/// <param name="SampleLength">Characters to generate.</param>
/// <param name="Temperature">Sampling temperature (0: always the most likely character).</param>
internal sealed record CharacterRunSettings(int Steps, int BatchSize, int SequenceLength, double LearningRate, int TextLength, int SampleLength, double Temperature)
{
    /// <summary>How <see cref="CharacterTraining"/> trains under these settings.</summary>
    public CharacterTrainingSettings Training => new(Steps, BatchSize, SequenceLength, LearningRate);
}
