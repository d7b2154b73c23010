using System.CommandLine;
using System.Diagnostics;
using TinyAutograd.Examples.Characters;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Models;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// A character transformer on Ambrose Bierce's "The Devil's Dictionary": token and position embeddings, pre-norm blocks
/// of causal multi-head attention and MLP, trained by Adam with gradient clipping on random windows, scored in bits per
/// character on a held-out tail of the text next to a bigram model counted from the same training text, then asked to write.
/// </summary>
internal static class CharTransformerDemo
{
    public const string Name = "char-transformer";

    public static Command Command(ConsoleStreams streams)
    {
        var defaults = CharTransformerSettings.FullSize;
        var command = new Command(Name, "A transformer character language model on The Devil's Dictionary: validation bits per character against a bigram, generated samples.");
        var common = new CommonOptions(command);
        var steps = command.AddOption("--steps", "Training steps (mini-batches).", defaults.Steps, 1);
        var batchSize = command.AddOption("--batch-size", "Windows per mini-batch.", defaults.BatchSize, 1);
        var sequenceLength = command.AddOption("--sequence-length", "Characters per window, also the context length.", defaults.SequenceLength, 2);
        var modelSize = command.AddOption("--model-size", "Width of the embeddings and of the attention.", defaults.ModelSize, 1);
        var heads = command.AddOption("--heads", "Attention heads (must divide the model size).", defaults.Heads, 1);
        var layers = command.AddOption("--layers", "Transformer blocks.", defaults.Layers, 1);
        var learningRate = command.AddOption("--learning-rate", "Adam's step size.", defaults.LearningRate, 0.0);
        var textLength = command.AddOption("--text-length", "Use only the first this many characters of the text (0: all of it).", 0, 0);
        var sampleLength = command.AddOption("--sample-length", "Characters to generate per sample.", defaults.SampleLength, 1);
        var temperature = command.AddOption("--temperature", "Sampling temperature (0: always the most likely character).", defaults.Temperature, 0.0);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            var settings = new CharTransformerSettings(parse.GetValue(steps), parse.GetValue(batchSize), parse.GetValue(sequenceLength), parse.GetValue(modelSize),
                parse.GetValue(heads), parse.GetValue(layers), parse.GetValue(learningRate), parse.GetValue(textLength), parse.GetValue(sampleLength), parse.GetValue(temperature));
            context.Finish(Run(context, settings));
        });
        return command;
    }

    public static CharTransformerResult Run(RunContext context, CharTransformerSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var corpus = CharacterCorpus.DevilsDictionary(settings.TextLength > 0 ? settings.TextLength : null);
        var bigram = new BigramModel(corpus.Training, corpus.Vocabulary.Count);
        double bigramBits = bigram.BitsPerCharacter(corpus.Validation);
        context.Heading("Character transformer",
            $"The Devil's Dictionary: {Format.Integer(corpus.Training.Length)} characters for training, {Format.Integer(corpus.Validation.Length)} held out, {corpus.Vocabulary.Count} distinct; " +
            $"{settings.Layers} pre-norm blocks of width {settings.ModelSize} with {settings.Heads} causal heads, Adam η = {Format.Number(settings.LearningRate)}, {settings.BatchSize} windows of {settings.SequenceLength}");
        context.Say($"Bigram model (add-one smoothing): {Format.Fixed(bigramBits, 3)} bits per character on the validation text.");

        var random = new RandomSource(context.Seed);
        var model = new CharacterTransformer(corpus.Vocabulary.Count, settings.SequenceLength, settings.ModelSize, settings.Heads, settings.Layers, random);
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
            context.Save(BitsPerCharacterChart.Create("Character transformer: bits per character", history, bigramBits, settings.Steps), "char-transformer-bits"),
        ];
        context.Pictures(pictures);
        return new CharTransformerResult(validationBits, bigramBits, seconds, sample, settings.Steps, model.ParameterCount, history, pictures);
    }
}

/// <summary>What <see cref="CharTransformerDemo"/> trains (sizes) and how it samples.</summary>
internal sealed record CharTransformerSettings(int Steps, int BatchSize, int SequenceLength, int ModelSize, int Heads, int Layers, double LearningRate, int TextLength, int SampleLength, double Temperature)
{
    /// <summary>The command's default: the full text, sized to beat the bigram by more than half a bit per character within minutes on two cores.</summary>
    public static CharTransformerSettings FullSize { get; } = new(Steps: 600, BatchSize: 32, SequenceLength: 64, ModelSize: 64, Heads: 4, Layers: 2, LearningRate: 0.003,
        TextLength: 0, SampleLength: 300, Temperature: 0.7);
}

internal sealed record CharTransformerResult(double ValidationBitsPerChar, double BigramBitsPerChar, double Seconds, string Sample, int Steps, long Parameters,
    IReadOnlyList<CharacterTrainingRecord> History, IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() => $"validation {Format.Fixed(ValidationBitsPerChar, 3)} bits/char, bigram {Format.Fixed(BigramBitsPerChar, 3)}";
}
