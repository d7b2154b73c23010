using System.Diagnostics;
using System.Text.Json;
using TinyAutograd.Examples;

namespace TinyAutograd.Tests.Examples;

/// <summary>Bad option values, as a new user types them: refused with one line on standard error and exit code 2.</summary>
public sealed class CommandLineErrorTests
{
    public static TheoryData<string[], string> BadCommandLines => new()
    {
        { ["digits", "--epochs", "abc"], "--epochs expects a whole number from 1 to 2147483647; got 'abc'." },
        { ["digits", "--learning-rate", "abc"], "--learning-rate expects a finite number of at least 0; got 'abc'." },
        { ["digits", "--epochs", "2147483648"], "--epochs expects a whole number from 1 to 2147483647; got '2147483648'." },
        { ["digits", "--epochs", "0"], "--epochs must be at least 1; got 0." },
        { ["sigmoid-neuron", "--epochs", "2.5"], "--epochs expects a whole number from 1 to 2147483647; got '2.5'." },
        { ["sigmoid-neuron", "--learning-rate", "-0.1"], "--learning-rate must be at least 0; got -0.1." },
        { ["optimizers", "--tolerance", "NaN"], "--tolerance expects a finite number of at least 0; got 'NaN'." },
        { ["optimizers", "--iterations", "1e400"], "--iterations expects a whole number from 1 to 2147483647; got '1e400'." },
        { ["verify", "--points", "8"], "--points must be at most 7; got 8." },
        { ["bias-variance", "--seed", "-1"], "--seed expects a whole number from 0 to 18446744073709551615; got '-1'." },
        { ["schedules", "--picture-format", "gif"], "--picture-format expects png or svg; got 'gif'." },
        { ["batching", "--batch"], "Unrecognized command or argument '--batch'." },
        { ["logsumexp", "--terms"], "Required argument missing for option: '--terms'." },
        { ["--quick", "--seed", "x"], "--seed expects a whole number from 0 to 18446744073709551615; got 'x'." },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void A_bad_value_is_refused_with_one_line_and_exit_code_2(string[] args, string message)
    {
        var (exitCode, output, error, terminal) = ExampleRun.Run(args);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Equal("", terminal);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd();
        Assert.EndsWith($": {message} (--help lists the options)", line, StringComparison.Ordinal);
        Assert.StartsWith(SubCommand(args), line, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void With_json_the_error_is_a_json_object_on_standard_error(string[] args, string message)
    {
        // --json right after the sub-command, where no option can take it for its value.
        var (exitCode, output, error, _) = ExampleRun.Run([args[0], "--json", .. args[1..]]);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        using var document = JsonDocument.Parse(error);
        var root = document.RootElement;
        Assert.Equal($"{message} (--help lists the options)", root.GetProperty("error").GetString());
        Assert.StartsWith(SubCommand(args), root.GetProperty("command").GetString()!, StringComparison.Ordinal);
        Assert.Equal(2, root.GetProperty("exit_code").GetInt32());
    }

    /// <summary>The sub-command the arguments name, or "" for the tour (whose name is the program's).</summary>
    private static string SubCommand(string[] args) => args[0].StartsWith("--", StringComparison.Ordinal) ? "" : args[0];

    [Fact]
    public void A_folder_that_cannot_be_written_is_reported_without_a_crash()
    {
        string file = Path.GetTempFileName();
        var (exitCode, output, error, _) = ExampleRun.Run("verify", "--points", "1", "--json", "--out", Path.Combine(file, "pictures"));

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        using var document = JsonDocument.Parse(error);
        Assert.Equal("verify", document.RootElement.GetProperty("command").GetString());
    }

    [Fact]
    public void The_program_itself_exits_with_code_2()
    {
        // The same check on the real process: no unhandled exception (exit code 134) and nothing on standard output.
        string program = typeof(ExampleApp).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", program, "digits", "--epochs", "abc" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", output);
        Assert.Equal("digits: --epochs expects a whole number from 1 to 2147483647; got 'abc'. (--help lists the options)", error.Trim());
    }
}
