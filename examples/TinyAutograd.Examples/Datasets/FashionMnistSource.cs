using System.CommandLine;
using Spectre.Console;
using TinyAutograd.Examples.Cli;

namespace TinyAutograd.Examples.Datasets;

/// <summary>Which part of Fashion-MNIST a demonstration trains and tests on, and where the files are.</summary>
/// <param name="TrainLimit">Use only the first N training images (0: all 60,000).</param>
/// <param name="TestLimit">Test on only the first N test images (0: all 10,000).</param>
/// <param name="Directory">The folder holding the IDX files.</param>
internal sealed record FashionMnistSource(int TrainLimit = 0, int TestLimit = 0, string Directory = FashionMnistData.DefaultDirectory)
{
    /// <summary>Adds <c>--train-limit</c>, <c>--test-limit</c> and <c>--data-dir</c> to <paramref name="command"/>; returns how to read them.</summary>
    public static Func<ParseResult, FashionMnistSource> AddOptions(Command command)
    {
        var trainLimit = command.AddOption("--train-limit", "Use only the first N training images (0: all 60,000).", 0, 0);
        var testLimit = command.AddOption("--test-limit", "Test on only the first N test images (0: all 10,000).", 0, 0);
        var directory = new Option<string>("--data-dir")
        {
            Description = "Folder holding the IDX files.",
            DefaultValueFactory = _ => FashionMnistData.DefaultDirectory,
        };
        command.Options.Add(directory);
        return parse => new FashionMnistSource(parse.GetValue(trainLimit), parse.GetValue(testLimit), parse.GetValue(directory) ?? FashionMnistData.DefaultDirectory);
    }

    /// <summary>The training and test parts, or null after telling the user how to install the data when it is missing.</summary>
    public (LabelledData Train, LabelledData Test)? TryLoad(RunContext context)
    {
        if (!FashionMnistData.IsInstalled(Directory))
        {
            context.Terminal.MarkupLine($"[yellow]Fashion-MNIST is not installed in {Markup.Escape(Directory)}; skipping. Install it with:[/]");
            context.Terminal.MarkupLine($"  [bold]{Markup.Escape(FashionMnistData.InstallCommand)}[/]");
            return null;
        }
        return FashionMnistData.Load(Directory, TrainLimit > 0 ? TrainLimit : null, TestLimit > 0 ? TestLimit : null);
    }
}
