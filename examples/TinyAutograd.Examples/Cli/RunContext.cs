using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using TinyAutograd.Examples.Charts;

namespace TinyAutograd.Examples.Cli;

/// <summary>
/// What every demonstration needs from the command line: where to write pictures, the random seed, and where its
/// output goes (a Spectre terminal for people, or one JSON object on standard output for programs).
/// </summary>
internal sealed class RunContext
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        // Standard output is not HTML: keep ∂, σ and quotes readable instead of \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly IAnsiConsole _terminal;
    private readonly TextWriter _output;

    public RunContext(string outputDirectory, ulong seed, bool json, IAnsiConsole terminal, TextWriter output, PictureFormat pictureFormat = PictureFormat.Png)
    {
        OutputDirectory = outputDirectory;
        PictureFormat = pictureFormat;
        Seed = seed;
        Json = json;
        _terminal = json ? Silent() : terminal;
        _output = output;
    }

    /// <summary>The folder that receives the pictures.</summary>
    public string OutputDirectory { get; }

    /// <summary>The seed of every random choice the demonstration makes.</summary>
    public ulong Seed { get; }

    /// <summary>Whether the result goes to standard output as JSON, with nothing else printed.</summary>
    public bool Json { get; }

    /// <summary>The terminal for tables, rules and progress bars; silent in JSON mode.</summary>
    public IAnsiConsole Terminal => _terminal;

    /// <summary>The file format of the pictures.</summary>
    public PictureFormat PictureFormat { get; }

    /// <summary>Writes <paramref name="plot"/> as the picture <paramref name="name"/> (the extension follows the format); returns its path.</summary>
    public string Save(ScottPlot.Plot plot, string name, int width = 720, int height = 440) =>
        PictureFile.Save(plot, PicturePath(name), PictureFormat, width, height);

    /// <summary>Writes the grid of charts <paramref name="multiplot"/> as the picture <paramref name="name"/>; returns its path.</summary>
    public string Save(ScottPlot.Multiplot multiplot, string name, int width, int height) =>
        PictureFile.Save(multiplot, PicturePath(name), PictureFormat, width, height);

    /// <summary>The path of the picture <paramref name="name"/>, creating the output folder if needed.</summary>
    private string PicturePath(string name)
    {
        Directory.CreateDirectory(OutputDirectory);
        return Path.Combine(OutputDirectory, name + PictureFile.Extension(PictureFormat));
    }

    /// <summary>Prints the heading of a demonstration.</summary>
    public void Heading(string title, string summary)
    {
        _terminal.Write(new Rule($"[bold yellow]{Markup.Escape(title)}[/]").LeftJustified());
        _terminal.MarkupLine($"[grey]{Markup.Escape(summary)}[/]");
    }

    /// <summary>Prints a line of plain text (escaped, so brackets are safe).</summary>
    public void Say(string text) => _terminal.MarkupLine(Markup.Escape(text));

    /// <summary>Lists the pictures written.</summary>
    public void Pictures(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            _terminal.MarkupLine($"[grey]picture:[/] [link]{Markup.Escape(path)}[/]");
        }
    }

    /// <summary>In JSON mode, writes <paramref name="result"/> as the one JSON object of the run.</summary>
    public void Finish<TResult>(TResult result)
    {
        if (Json)
        {
            _output.WriteLine(JsonSerializer.Serialize(result, s_json));
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a progress bar of <paramref name="total"/> steps (no bar in JSON mode).
    /// The body calls the action it is given after each step, with a short status text.
    /// </summary>
    public void WithProgress(string description, int total, Action<Action<string>> body)
    {
        if (Json)
        {
            body(static _ => { });
            return;
        }
        _terminal.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: total);
                body(status =>
                {
                    task.Description = Markup.Escape($"{description} {status}");
                    task.Increment(1);
                });
            });
    }

    /// <summary>
    /// A terminal that discards everything, without touching the process's console: with ANSI its styles become escape
    /// sequences in its own null writer (without, Spectre would set the real console's colors), and with a fixed size
    /// it never asks the console for its width. Either would initialize .NET's console, which writes the terminal's
    /// keypad-mode sequence to standard output when that is a terminal, as it is under mpirun.
    /// </summary>
    private static IAnsiConsole Silent()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(TextWriter.Null),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 80;
        console.Profile.Height = 24;
        return console;
    }
}
