using System.Diagnostics;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Characters;

/// <summary>
/// The training loop the character models share: Adam on random windows of the training text, gradients clipped to a
/// global norm of 1, the training bits per character of every step (and their running mean for the progress line), and
/// validation bits per character five times.
/// </summary>
internal static class CharacterTraining
{
    private const double MaximumGradientNorm = 1.0;

    /// <summary>Trains <paramref name="model"/> by its mean cross-entropy <paramref name="loss"/> (nats) and returns the evaluations made and every step's loss.</summary>
    public static CharacterTrainingHistory Run(RunContext context, CharacterCorpus corpus, Module<float> model, Func<CharacterBatch, Tensor<float>> loss,
        CharacterTrainingSettings settings, RandomSource random, Stopwatch clock)
    {
        var optimizer = new Adam<float>(model.Parameters(), new AdamOptions { LearningRate = settings.LearningRate });
        double Validate()
        {
            using var noRecording = GradMode.Disable();
            model.Eval();
            double bits = BitsPerCharacter.Evaluate(corpus.Validation, 64, settings.SequenceLength, batch => loss(batch).ToScalar());
            model.Train();
            return bits;
        }

        var history = new List<CharacterTrainingRecord>();
        var stepBits = new List<double>(settings.Steps);
        int evaluations = Math.Min(5, settings.Steps);
        double runningBits = double.NaN;
        context.WithProgress("step", settings.Steps, advance =>
        {
            for (int step = 1; step <= settings.Steps; step++)
            {
                optimizer.ZeroGrad();
                var batchLoss = loss(CharacterBatch.Random(corpus.Training, settings.BatchSize, settings.SequenceLength, random));
                batchLoss.Backward();
                GradientClipping.ClipByGlobalNorm(model.Parameters(), MaximumGradientNorm);
                optimizer.Step();
                double bits = BitsPerCharacter.FromNats(batchLoss.ToScalar());
                runningBits = double.IsNaN(runningBits) ? bits : 0.95 * runningBits + 0.05 * bits;
                stepBits.Add(bits);
                if (step * evaluations % settings.Steps < evaluations)
                {
                    history.Add(new CharacterTrainingRecord(step, runningBits, Validate(), clock.Elapsed.TotalSeconds));
                }
                advance($"{step}/{settings.Steps}, training {Format.Fixed(runningBits, 3)} bits/char" +
                    (history.Count > 0 ? $", validation {Format.Fixed(history[^1].ValidationBitsPerChar, 3)}" : ""));
            }
        });
        return new CharacterTrainingHistory(history, stepBits);
    }
}

/// <summary>How long and on what windows <see cref="CharacterTraining"/> trains.</summary>
internal sealed record CharacterTrainingSettings(int Steps, int BatchSize, int SequenceLength, double LearningRate);

/// <summary>Bits per character at one evaluation during training.</summary>
internal sealed record CharacterTrainingRecord(int Step, double TrainingBitsPerChar, double ValidationBitsPerChar, double Seconds);

/// <summary>
/// What a run of <see cref="CharacterTraining"/> measured: the evaluations (this list), and the training bits per
/// character of every step (the learning curves' data).
/// </summary>
internal sealed class CharacterTrainingHistory(IReadOnlyList<CharacterTrainingRecord> evaluations, IReadOnlyList<double> stepBitsPerChar)
    : IReadOnlyList<CharacterTrainingRecord>
{
    /// <summary>The training bits per character of step 1, 2, …: the loss of that step's mini-batch.</summary>
    public IReadOnlyList<double> StepBitsPerChar => stepBitsPerChar;

    public int Count => evaluations.Count;

    public CharacterTrainingRecord this[int index] => evaluations[index];

    public IEnumerator<CharacterTrainingRecord> GetEnumerator() => evaluations.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
