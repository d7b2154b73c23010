using Spectre.Console;
using TinyAutograd.Examples;

return ExampleApp.Run(args, Console.Out, Console.Error, AnsiConsole.Console);
