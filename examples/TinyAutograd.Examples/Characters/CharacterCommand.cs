using System.CommandLine;
using TinyAutograd.Examples.Cli;

namespace TinyAutograd.Examples.Characters;

/// <summary>
/// The command of a character-model demonstration: the common options, the run's options
/// (<see cref="CharacterRunOptions"/>) and the model's own, read into the demonstration's settings and run.
/// </summary>
internal static class CharacterCommand
{
    /// <summary>Creates the command.</summary>
    /// <typeparam name="TSettings">The demonstration's settings: the run's and the model's sizes.</typeparam>
    /// <param name="streams">Where the command writes.</param>
    /// <param name="name">The command's name.</param>
    /// <param name="description">What it does, for the help.</param>
    /// <param name="defaults">The run's defaults.</param>
    /// <param name="sequenceLength">What a window is to the model, for the help of <c>--sequence-length</c>.</param>
    /// <param name="modelOptions">Adds the model's options to the command and returns how to read the settings from them.</param>
    /// <param name="run">Runs the demonstration.</param>
    public static Command Create<TSettings>(ConsoleStreams streams, string name, string description, CharacterRunSettings defaults, string sequenceLength,
        Func<Command, Func<ParseResult, CharacterRunSettings, TSettings>> modelOptions, Func<RunContext, TSettings, CharacterModelResult> run)
    {
        var command = new Command(name, description);
        var common = new CommonOptions(command);
        var runOptions = new CharacterRunOptions(command, defaults, sequenceLength);
        var read = modelOptions(command);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(run(context, read(parse, runOptions.Read(parse))));
        });
        return command;
    }
}
