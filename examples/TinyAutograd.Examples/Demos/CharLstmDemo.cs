using System.CommandLine;
using System.Diagnostics;
using TinyAutograd.Examples.Characters;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Models;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// A character language model on Ambrose Bierce's "The Devil's Dictionary": embedding → LSTM → linear, trained by Adam
/// with gradient clipping on random windows, scored in bits per character on a held-out tail of the text next to a
/// bigram model counted from the same training text, then asked to write.
/// </summary>
internal static class CharLstmDemo
{
    public const string Name = "char-lstm";

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "An LSTM character language model on The Devil's Dictionary: validation bits per character against a bigram, generated samples.");
        var common = new CommonOptions(command);
        var steps = command.AddOption("--steps", "Training steps (mini-batches).", Defaults.Steps, 1);
        var batchSize = command.AddOption("--batch-size", "Windows per mini-batch.", Defaults.BatchSize, 1);
        var sequenceLength = command.AddOption("--sequence-length", "Characters per window (the span of backpropagation through time).", Defaults.SequenceLength, 2);
        var hidden = command.AddOption("--hidden", "Size of the LSTM's hidden state.", Defaults.Hidden, 1);
        var embedding = command.AddOption("--embedding", "Size of the character embedding.", Defaults.Embedding, 1);
        var layers = command.AddOption("--layers", "Stacked LSTM layers.", 1, 1);
        var learningRate = command.AddOption("--learning-rate", "Adam's step size.", Defaults.LearningRate, 0.0);
        var textLength = command.AddOption("--text-length", "Use only the first this many characters of the text (0: all of it).", 0, 0);
        var sampleLength = command.AddOption("--sample-length", "Characters to generate per sample.", 300, 1);
        var temperature = command.AddOption("--temperature", "Sampling temperature (0: always the most likely character).", 0.7, 0.0);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            var settings = new CharLstmSettings(parse.GetValue(steps), parse.GetValue(batchSize), parse.GetValue(sequenceLength), parse.GetValue(hidden),
                parse.GetValue(embedding), parse.GetValue(layers), parse.GetValue(learningRate), parse.GetValue(textLength), parse.GetValue(sampleLength), parse.GetValue(temperature));
            context.Finish(Run(context, settings));
        });
        return command;
    }

    public static CharLstmResult Run(RunContext context, CharLstmSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var corpus = CharacterCorpus.DevilsDictionary(settings.TextLength > 0 ? settings.TextLength : null);
        var bigram = new BigramModel(corpus.Training, corpus.Vocabulary.Count);
        double bigramBits = bigram.BitsPerCharacter(corpus.Validation);
        context.Heading("Character LSTM",
            $"The Devil's Dictionary: {Format.Integer(corpus.Training.Length)} characters for training, {Format.Integer(corpus.Validation.Length)} held out, {corpus.Vocabulary.Count} distinct; " +
            $"embedding {settings.Embedding} → LSTM {settings.Hidden}×{settings.Layers} → linear, Adam η = {Format.Number(settings.LearningRate)}, {settings.BatchSize} windows of {settings.SequenceLength}");
        context.Say($"Bigram model (add-one smoothing): {Format.Fixed(bigramBits, 3)} bits per character on the validation text.");

        var random = new RandomSource(context.Seed);
        var model = new CharacterLstm(corpus.Vocabulary.Count, settings.Embedding, settings.Hidden, settings.Layers, random);
        var history = CharacterTraining.Run(context, corpus, model, model.Loss,
            new CharacterTrainingSettings(settings.Steps, settings.BatchSize, settings.SequenceLength, settings.LearningRate), random, clock);

        double validationBits = history[^1].ValidationBitsPerChar;
        context.Say($"Validation: {Format.Fixed(validationBits, 3)} bits per character (bigram {Format.Fixed(bigramBits, 3)}; {Format.Fixed(bigramBits - validationBits, 3)} better), {model.ParameterCount} parameters.");
        string sample = model.Generate(corpus.Vocabulary, "A", settings.SampleLength, settings.Temperature, random);
        context.Say($"Sample at temperature {Format.Number(settings.Temperature)}:");
        context.Say(sample);
        double seconds = clock.Elapsed.TotalSeconds;

        string[] pictures =
        [
            context.Save(BitsPerCharacterChart.Create("Character LSTM: bits per character", history, bigramBits, settings.Steps), "char-lstm-bits"),
        ];
        context.Pictures(pictures);
        return new CharLstmResult(validationBits, bigramBits, seconds, sample, settings.Steps, model.ParameterCount, history, pictures);
    }

    /// <summary>The full-size configuration, the command's default.</summary>
    private static class Defaults
    {
        public const int Steps = 800;
        public const int BatchSize = 32;
        public const int SequenceLength = 64;
        public const int Hidden = 128;
        public const int Embedding = 32;
        public const double LearningRate = 0.01;
    }
}

/// <summary>What <see cref="CharLstmDemo"/> trains (sizes) and how it samples.</summary>
internal sealed record CharLstmSettings(int Steps, int BatchSize, int SequenceLength, int Hidden, int Embedding, int Layers, double LearningRate, int TextLength, int SampleLength, double Temperature);

internal sealed record CharLstmResult(double ValidationBitsPerChar, double BigramBitsPerChar, double Seconds, string Sample, int Steps, long Parameters,
    IReadOnlyList<CharacterTrainingRecord> History, IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() => $"validation {Format.Fixed(ValidationBitsPerChar, 3)} bits/char, bigram {Format.Fixed(BigramBitsPerChar, 3)}";
}
