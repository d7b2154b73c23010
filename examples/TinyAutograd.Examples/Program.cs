using Spectre.Console;
using TinyAutograd.Examples;
using TinyAutograd.Examples.Cli;

return ExampleApp.Run(args, StandardOutput.Open(), Console.Error, AnsiConsole.Console);
