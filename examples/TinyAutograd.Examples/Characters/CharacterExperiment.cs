using System.Diagnostics;
using TinyAutograd.Examples.Cli;

namespace TinyAutograd.Examples.Characters;

/// <summary>
/// What every character-model demonstration does around its model: load The Devil's Dictionary, count the bigram
/// baseline, train, report validation bits per character next to the bigram's, write a sample and the learning curve.
/// </summary>
internal static class CharacterExperiment
{
    /// <summary>Runs the experiment for the model <paramref name="create"/> builds (from the vocabulary size and the generator).</summary>
    /// <param name="context">Where to report.</param>
    /// <param name="title">The heading, e.g. "Character LSTM".</param>
    /// <param name="name">The demonstration's command name, which names its picture.</param>
    /// <param name="settings">The training run and the sampling.</param>
    /// <param name="architecture">The model in a few words, for the heading.</param>
    /// <param name="create">Builds the model.</param>
    public static CharacterModelResult Run(RunContext context, string title, string name, CharacterRunSettings settings, string architecture,
        Func<int, RandomSource, CharacterModel> create)
    {
        var clock = Stopwatch.StartNew();
        var corpus = CharacterCorpus.DevilsDictionary(settings.TextLength > 0 ? settings.TextLength : null);
        var bigram = new BigramModel(corpus.Training, corpus.Vocabulary.Count);
        double bigramBits = bigram.BitsPerCharacter(corpus.Validation);
        context.Heading(title,
            $"The Devil's Dictionary: {Format.Integer(corpus.Training.Length)} characters for training, {Format.Integer(corpus.Validation.Length)} held out, {corpus.Vocabulary.Count} distinct; " +
            $"{architecture}, Adam η = {Format.Number(settings.LearningRate)}, {settings.BatchSize} windows of {settings.SequenceLength}");
        context.Say($"Bigram model (add-one smoothing): {Format.Fixed(bigramBits, 3)} bits per character on the validation text.");

        var random = new RandomSource(context.Seed);
        var model = create(corpus.Vocabulary.Count, random);
        var history = CharacterTraining.Run(context, corpus, model, model.Loss, settings.Training, random, clock);

        double validationBits = history[^1].ValidationBitsPerChar;
        context.Say($"Validation: {Format.Fixed(validationBits, 3)} bits per character (bigram {Format.Fixed(bigramBits, 3)}; {Format.Fixed(bigramBits - validationBits, 3)} better), {model.ParameterCount} parameters.");
        string sample = model.Generate(corpus.Vocabulary, "A", settings.SampleLength, settings.Temperature, random);
        context.Say($"Sample at temperature {Format.Number(settings.Temperature)}:");
        context.Say(sample);
        double seconds = clock.Elapsed.TotalSeconds;

        string[] pictures = [context.Save(BitsPerCharacterChart.Create($"{title}: bits per character", history, bigramBits, settings.Steps), $"{name}-bits")];
        context.Pictures(pictures);
        return new CharacterModelResult(validationBits, bigramBits, seconds, sample, settings.Steps, model.ParameterCount, history, pictures);
    }
}

/// <summary>What a character-model demonstration reports (its <c>--json</c>).</summary>
internal sealed record CharacterModelResult(double ValidationBitsPerChar, double BigramBitsPerChar, double Seconds, string Sample, int Steps, long Parameters,
    IReadOnlyList<CharacterTrainingRecord> History, IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() => $"validation {Format.Fixed(ValidationBitsPerChar, 3)} bits/char, bigram {Format.Fixed(BigramBitsPerChar, 3)}";
}
