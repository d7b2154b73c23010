using System.CommandLine;

namespace TinyAutograd.Examples.Cli;

/// <summary>The options every demonstration takes: <c>--out</c>, <c>--seed</c> and <c>--json</c>.</summary>
internal sealed class CommonOptions
{
    private readonly Option<string> _out = new("--out")
    {
        Description = "Folder that receives the pictures (SVG).",
        DefaultValueFactory = _ => "artifacts",
    };

    private readonly Option<ulong> _seed = new("--seed")
    {
        Description = "Seed of every random choice (data, initialization, shuffling).",
        DefaultValueFactory = _ => 42UL,
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print one JSON object with the results on standard output, and nothing else.",
    };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public CommonOptions(Command command)
    {
        command.Options.Add(_out);
        command.Options.Add(_seed);
        command.Options.Add(_json);
    }

    /// <summary>The run context these options describe.</summary>
    public RunContext Read(ParseResult parseResult, ConsoleStreams streams) => new(
        parseResult.GetValue(_out) ?? "artifacts",
        parseResult.GetValue(_seed),
        parseResult.GetValue(_json),
        streams.Terminal,
        streams.Output);
}
