using System.CommandLine;
using Spectre.Console;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Demos;

namespace TinyAutograd.Examples;

/// <summary>The command line: the tour when run without a sub-command, and one sub-command per demonstration.</summary>
internal static class ExampleApp
{
    /// <summary>Parses <paramref name="args"/> and runs what they ask for; returns the exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Standard output: JSON results and help text.</param>
    /// <param name="error">Standard error: what was wrong with the command line.</param>
    /// <param name="terminal">Where tables, rules and progress bars go.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, IAnsiConsole terminal)
    {
        var streams = new ConsoleStreams(output, terminal);
        var root = Tour.Command(streams);
        root.Subcommands.Add(SigmoidNeuronDemo.Command(streams));
        root.Subcommands.Add(OptimizersDemo.Command(streams));
        root.Subcommands.Add(BatchingDemo.Command(streams));
        root.Subcommands.Add(SchedulesDemo.Command(streams));
        root.Subcommands.Add(LogSumExpDemo.Command(streams));
        root.Subcommands.Add(BiasVarianceDemo.Command(streams));
        root.Subcommands.Add(DigitsDemo.Command(streams));
        root.Subcommands.Add(FashionMnistDemo.Command(streams));
        root.Subcommands.Add(CnnDemo.Command(streams));
        root.Subcommands.Add(HessianEigenDemo.Command(streams));
        root.Subcommands.Add(CustomModelDemo.Command(streams));
        root.Subcommands.Add(VerifyDemo.Command(streams));
        root.Subcommands.Add(DistributedDemo.Command(streams));
        root.Subcommands.Add(CharLstmDemo.Command(streams));
        root.Subcommands.Add(CharTransformerDemo.Command(streams));
        root.Subcommands.Add(ProfileDemo.Command(streams));
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            return ErrorReport.ParseErrors(parseResult, error);
        }
        try
        {
            return parseResult.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be written or a data file that cannot be read: the user's to fix, not a bug.
            return ErrorReport.FileError(parseResult, error, exception);
        }
    }
}
