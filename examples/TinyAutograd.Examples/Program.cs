using Spectre.Console;
using TinyAutograd.Examples;

return ExampleApp.Run(args, Console.Out, AnsiConsole.Console);
