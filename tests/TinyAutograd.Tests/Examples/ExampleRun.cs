using System.Text.Json;
using Spectre.Console;
using TinyAutograd.Examples;

namespace TinyAutograd.Tests.Examples;

/// <summary>Runs the examples program in-process, as a user would from the command line, and reads what it wrote.</summary>
internal static class ExampleRun
{
    /// <summary>Runs <paramref name="args"/> with <c>--json --out</c> a fresh folder; returns the parsed JSON and that folder.</summary>
    public static (JsonElement Json, string OutputDirectory) Json(params string[] args)
    {
        string directory = Path.Combine(Path.GetTempPath(), "tinyautograd-examples-" + Guid.NewGuid().ToString("N"));
        var run = Run([.. args, "--json", "--out", directory]);
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}; output: {run.Output}; error: {run.Error}");
        Assert.Equal("", run.Terminal);
        Assert.Equal("", run.Error);
        using var document = JsonDocument.Parse(run.Output);
        return (document.RootElement.Clone(), directory);
    }

    /// <summary>Runs <paramref name="args"/>; returns the exit code, standard output, standard error and what went to the terminal.</summary>
    public static (int ExitCode, string Output, string Error, string Terminal) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var terminalText = new StringWriter();
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(terminalText),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
        });
        int exitCode = ExampleApp.Run(args, output, error, terminal);
        return (exitCode, output.ToString(), error.ToString(), terminalText.ToString());
    }

    /// <summary>Asserts that <paramref name="json"/> has every one of <paramref name="keys"/>.</summary>
    public static void HasKeys(JsonElement json, params string[] keys)
    {
        foreach (var key in keys)
        {
            Assert.True(json.TryGetProperty(key, out _), $"missing key '{key}' in {json}");
        }
    }

    /// <summary>
    /// Asserts that the result lists at least one picture, each a file under the output folder that is a well-formed
    /// PNG (the default format) of a plausible size.
    /// </summary>
    public static void HasValidPictures(JsonElement json, string outputDirectory)
    {
        var pictures = json.GetProperty("pictures").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.NotEmpty(pictures);
        foreach (var picture in pictures)
        {
            Assert.StartsWith(outputDirectory, picture, StringComparison.Ordinal);
            Assert.EndsWith(".png", picture, StringComparison.Ordinal);
            var (width, height) = PictureAssert.Png(picture);
            Assert.InRange(width, 300, 2000);
            Assert.InRange(height, 200, 2000);
        }
    }
}
