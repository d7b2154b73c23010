using Spectre.Console;

namespace TinyAutograd.Examples.Cli;

/// <summary>Where a run writes: standard output (JSON and help) and the terminal for people.</summary>
internal sealed record ConsoleStreams(TextWriter Output, IAnsiConsole Terminal);
