using System.CommandLine;
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

    public static Command Command(ConsoleStreams streams) => CharacterCommand.Create<CharTransformerSettings>(streams, Name,
        "A transformer character language model on The Devil's Dictionary: validation bits per character against a bigram, generated samples.",
        CharTransformerSettings.FullSize.Run, "Characters per window, also the context length.",
        command =>
        {
            var defaults = CharTransformerSettings.FullSize;
            var modelSize = command.AddOption("--model-size", "Width of the embeddings and of the attention.", defaults.ModelSize, 1);
            var heads = command.AddOption("--heads", "Attention heads (must divide the model size).", defaults.Heads, 1);
            var layers = command.AddOption("--layers", "Transformer blocks.", defaults.Layers, 1);
            return (parse, run) => new CharTransformerSettings(run, parse.GetValue(modelSize), parse.GetValue(heads), parse.GetValue(layers));
        },
        Run);

    public static CharacterModelResult Run(RunContext context, CharTransformerSettings settings) =>
        CharacterExperiment.Run(context, "Character transformer", Name, settings.Run,
            $"{settings.Layers} pre-norm blocks of width {settings.ModelSize} with {settings.Heads} causal heads",
            (vocabularySize, random) => new CharacterTransformer(vocabularySize, settings.Run.SequenceLength, settings.ModelSize, settings.Heads, settings.Layers, random));
}

/// <summary>The sizes of <see cref="CharTransformerDemo"/>'s model, with the run's settings.</summary>
internal sealed record CharTransformerSettings(CharacterRunSettings Run, int ModelSize, int Heads, int Layers)
{
    /// <summary>The command's default: the full text, sized to beat the bigram by more than half a bit per character within minutes on two cores.</summary>
    public static CharTransformerSettings FullSize { get; } = new(
        new CharacterRunSettings(Steps: 600, BatchSize: 32, SequenceLength: 64, LearningRate: 0.003, TextLength: 0, SampleLength: 300, Temperature: 0.7),
        ModelSize: 64, Heads: 4, Layers: 2);
}
