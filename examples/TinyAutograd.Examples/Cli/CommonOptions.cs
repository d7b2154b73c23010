using System.CommandLine;
using TinyAutograd.Examples.Charts;

namespace TinyAutograd.Examples.Cli;

/// <summary>The options every demonstration takes: <c>--out</c>, <c>--picture-format</c>, <c>--seed</c> and <c>--json</c>.</summary>
internal sealed class CommonOptions
{
    /// <summary>The name of the flag that asks for JSON output.</summary>
    public const string JsonFlag = "--json";

    private readonly Option<string> _out = new("--out")
    {
        Description = "Folder that receives the pictures.",
        DefaultValueFactory = _ => "artifacts",
    };

    private readonly Option<PictureFormat> _pictureFormat = new("--picture-format")
    {
        Description = "File format of the pictures: png or svg.",
        DefaultValueFactory = _ => PictureFormat.Png,
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "png" : result.Tokens[0].Value;
            if (Enum.TryParse<PictureFormat>(text, ignoreCase: true, out var format) && Enum.IsDefined(format) && !char.IsAsciiDigit(text[0]))
            {
                return format;
            }
            result.AddError($"--picture-format expects png or svg; got '{text}'.");
            return PictureFormat.Png;
        },
    };

    private readonly Option<ulong> _seed = CommandExtensions.NumberOption("--seed", "Seed of every random choice (data, initialization, shuffling).", 42UL, 0UL, ulong.MaxValue);

    private readonly Option<bool> _json = new(JsonFlag)
    {
        Description = "Print one JSON object with the results on standard output, and nothing else (errors go to standard error as JSON).",
    };

    /// <summary>Adds the four options to <paramref name="command"/>.</summary>
    public CommonOptions(Command command)
    {
        command.Options.Add(_out);
        command.Options.Add(_pictureFormat);
        command.Options.Add(_seed);
        command.Options.Add(_json);
    }

    /// <summary>The run context these options describe.</summary>
    public RunContext Read(ParseResult parseResult, ConsoleStreams streams) => new(
        parseResult.GetValue(_out) ?? "artifacts",
        parseResult.GetValue(_seed),
        parseResult.GetValue(_json),
        streams.Terminal,
        streams.Output,
        parseResult.GetValue(_pictureFormat));
}
