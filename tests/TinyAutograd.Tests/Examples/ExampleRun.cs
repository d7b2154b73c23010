using System.Text.Json;
using System.Xml.Linq;
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
        var (exitCode, output, terminal) = Run([.. args, "--json", "--out", directory]);
        Assert.True(exitCode == 0, $"exit code {exitCode}; output: {output}");
        Assert.Equal("", terminal);
        using var document = JsonDocument.Parse(output);
        return (document.RootElement.Clone(), directory);
    }

    /// <summary>Runs <paramref name="args"/>; returns the exit code, standard output and what went to the terminal.</summary>
    public static (int ExitCode, string Output, string Terminal) Run(params string[] args)
    {
        var output = new StringWriter();
        var terminalText = new StringWriter();
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(terminalText),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
        });
        int exitCode = ExampleApp.Run(args, output, terminal);
        return (exitCode, output.ToString(), terminalText.ToString());
    }

    /// <summary>Asserts that <paramref name="json"/> has every one of <paramref name="keys"/>.</summary>
    public static void HasKeys(JsonElement json, params string[] keys)
    {
        foreach (var key in keys)
        {
            Assert.True(json.TryGetProperty(key, out _), $"missing key '{key}' in {json}");
        }
    }

    /// <summary>Asserts that the result lists at least one picture, each a file under the output folder that parses as an SVG document.</summary>
    public static void HasValidPictures(JsonElement json, string outputDirectory)
    {
        var pictures = json.GetProperty("pictures").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.NotEmpty(pictures);
        foreach (var picture in pictures)
        {
            Assert.StartsWith(outputDirectory, picture, StringComparison.Ordinal);
            AssertSvg(picture);
        }
    }

    /// <summary>Asserts that <paramref name="path"/> is an XML document whose root is an SVG element.</summary>
    public static void AssertSvg(string path)
    {
        var document = XDocument.Load(path);
        Assert.Equal("svg", document.Root!.Name.LocalName);
        Assert.Equal("http://www.w3.org/2000/svg", document.Root.Name.NamespaceName);
    }
}
