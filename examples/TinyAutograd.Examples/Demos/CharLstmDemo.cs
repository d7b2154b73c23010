using System.CommandLine;
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

    public static Command Command(ConsoleStreams streams) => CharacterCommand.Create<CharLstmSettings>(streams, Name,
        "An LSTM character language model on The Devil's Dictionary: validation bits per character against a bigram, generated samples.",
        CharLstmSettings.FullSize.Run, "Characters per window (the span of backpropagation through time).",
        command =>
        {
            var defaults = CharLstmSettings.FullSize;
            var hidden = command.AddOption("--hidden", "Size of the LSTM's hidden state.", defaults.Hidden, 1);
            var embedding = command.AddOption("--embedding", "Size of the character embedding.", defaults.Embedding, 1);
            var layers = command.AddOption("--layers", "Stacked LSTM layers.", defaults.Layers, 1);
            return (parse, run) => new CharLstmSettings(run, parse.GetValue(hidden), parse.GetValue(embedding), parse.GetValue(layers));
        },
        Run);

    public static CharacterModelResult Run(RunContext context, CharLstmSettings settings) =>
        CharacterExperiment.Run(context, "Character LSTM", Name, settings.Run, $"embedding {settings.Embedding} → LSTM {settings.Hidden}×{settings.Layers} → linear",
            (vocabularySize, random) => new CharacterLstm(vocabularySize, settings.Embedding, settings.Hidden, settings.Layers, random));
}

/// <summary>The sizes of <see cref="CharLstmDemo"/>'s model, with the run's settings.</summary>
internal sealed record CharLstmSettings(CharacterRunSettings Run, int Hidden, int Embedding, int Layers)
{
    /// <summary>The command's default: the full text, sized to beat the bigram by more than half a bit per character within minutes on two cores.</summary>
    public static CharLstmSettings FullSize { get; } = new(
        new CharacterRunSettings(Steps: 800, BatchSize: 32, SequenceLength: 64, LearningRate: 0.01, TextLength: 0, SampleLength: 300, Temperature: 0.7),
        Hidden: 128, Embedding: 32, Layers: 1);
}
