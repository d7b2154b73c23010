using System.CommandLine;
using TinyAutograd.Examples.Cli;

namespace TinyAutograd.Examples.Characters;

/// <summary>
/// The command-line options of <see cref="CharacterRunSettings"/>: <c>--steps</c>, <c>--batch-size</c>,
/// <c>--sequence-length</c>, <c>--learning-rate</c>, <c>--text-length</c>, <c>--sample-length</c> and <c>--temperature</c>.
/// </summary>
internal sealed class CharacterRunOptions
{
    private readonly Option<int> _steps;
    private readonly Option<int> _batchSize;
    private readonly Option<int> _sequenceLength;
    private readonly Option<double> _learningRate;
    private readonly Option<int> _textLength;
    private readonly Option<int> _sampleLength;
    private readonly Option<double> _temperature;

    /// <summary>Adds the options to <paramref name="command"/> with <paramref name="defaults"/>; <paramref name="sequenceLength"/> says what a window is to the model.</summary>
    public CharacterRunOptions(Command command, CharacterRunSettings defaults, string sequenceLength)
    {
        _steps = command.AddOption("--steps", "Training steps (mini-batches).", defaults.Steps, 1);
        _batchSize = command.AddOption("--batch-size", "Windows per mini-batch.", defaults.BatchSize, 1);
        _sequenceLength = command.AddOption("--sequence-length", sequenceLength, defaults.SequenceLength, 2);
        _learningRate = command.AddOption("--learning-rate", "Adam's step size.", defaults.LearningRate, 0.0);
        _textLength = command.AddOption("--text-length", "Use only the first this many characters of the text (0: all of it).", defaults.TextLength, 0);
        _sampleLength = command.AddOption("--sample-length", "Characters to generate per sample.", defaults.SampleLength, 1);
        _temperature = command.AddOption("--temperature", "Sampling temperature (0: always the most likely character).", defaults.Temperature, 0.0);
    }

    /// <summary>The settings given on the command line.</summary>
    public CharacterRunSettings Read(ParseResult parse) => new(parse.GetValue(_steps), parse.GetValue(_batchSize), parse.GetValue(_sequenceLength),
        parse.GetValue(_learningRate), parse.GetValue(_textLength), parse.GetValue(_sampleLength), parse.GetValue(_temperature));
}
