using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TinyAutograd.Examples.Cli;

/// <summary>
/// Reports why a run did not happen or did not finish, in one line on standard error (a JSON object when
/// <c>--json</c> was given, so that standard output only ever holds results).
/// </summary>
internal static class ErrorReport
{
    /// <summary>The exit code of a command line that did not parse (the shell convention for misuse).</summary>
    public const int UsageExitCode = 2;

    /// <summary>The exit code of a run that could not read or write a file it needed.</summary>
    public const int FileExitCode = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Standard error is not HTML: keep quotes readable instead of \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes the errors of a command line that did not parse (an unknown option, a value that is not a number, a
    /// number out of range) to <paramref name="error"/>; returns <see cref="UsageExitCode"/>.
    /// </summary>
    public static int ParseErrors(ParseResult parseResult, TextWriter error)
    {
        string message = string.Join(" ", parseResult.Errors.Select(e => e.Message.ReplaceLineEndings(" ").Trim()).Distinct());
        return Write(parseResult, error, message + " (--help lists the options)", UsageExitCode);
    }

    /// <summary>Writes what went wrong with a file during the run; returns <see cref="FileExitCode"/>.</summary>
    public static int FileError(ParseResult parseResult, TextWriter error, Exception exception) =>
        Write(parseResult, error, exception.Message.ReplaceLineEndings(" ").Trim(), FileExitCode);

    private static int Write(ParseResult parseResult, TextWriter error, string message, int exitCode)
    {
        string command = parseResult.CommandResult.Command.Name;
        bool json = parseResult.Tokens.Any(token => token.Type == TokenType.Option && token.Value == CommonOptions.JsonFlag);
        error.WriteLine(json ? JsonSerializer.Serialize(new Failure(message, command, exitCode), s_json) : $"{command}: {message}");
        return exitCode;
    }

    private sealed record Failure(string Error, string Command, int ExitCode);
}
