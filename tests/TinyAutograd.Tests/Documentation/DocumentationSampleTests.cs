namespace TinyAutograd.Tests.Documentation;

/// <summary>
/// Every C# sample of README.md, docs/*.md and the library's XML docs, one test case each (named by file, line and
/// heading): complete samples compile and run, and print what the page says they print; partial ones parse and are
/// really partial. The reading rules are in <see cref="MarkdownSampleReader"/> and <see cref="XmlDocSampleReader"/>.
/// </summary>
[Collection(ConsoleOutputCollection.Name)]
public sealed class DocumentationSampleTests
{
    private static readonly Lazy<Dictionary<string, DocumentationSample>> All = new(() =>
        MarkdownSamples().Concat(XmlDocSamples()).ToDictionary(sample => sample.Name));

    public static TheoryData<string> CompleteSamples() => Names(sample => !sample.IsPartial);

    public static TheoryData<string> PartialSamples() => Names(sample => sample.IsPartial);

    public static TheoryData<string> MarkdownPages() => [.. RepositoryFiles.MarkdownPages()];

    [Theory]
    [MemberData(nameof(CompleteSamples))]
    public void Sample_compiles_runs_and_prints_what_the_page_says(string name)
    {
        var sample = All.Value[name];
        string printed = SampleCompiler.Run(sample.Code);
        if (sample.ExpectedOutput is not null)
        {
            Assert.Equal(Normalized(sample.ExpectedOutput), Normalized(printed));
        }
    }

    [Theory]
    [MemberData(nameof(PartialSamples))]
    public void Partial_sample_parses_and_is_really_partial(string name)
    {
        var sample = All.Value[name];
        var syntaxErrors = SampleCompiler.SyntaxErrors(sample.Code);
        Assert.True(syntaxErrors.Count == 0, $"{name} does not parse:\n{string.Join('\n', syntaxErrors)}");
        Assert.True(SampleCompiler.CompileErrors(sample.Code).Count > 0,
            $"{name} is marked partial but compiles as a program: drop the marker so that it is run.");
    }

    [Theory]
    [MemberData(nameof(MarkdownPages))]
    public void Page_marks_every_code_block(string page)
    {
        var (_, problems) = MarkdownSampleReader.Read(page, RepositoryFiles.ReadLines(page));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_readme_the_guides_and_the_xml_docs_have_samples()
    {
        Assert.Contains(All.Value.Values, sample => sample.Source == "README.md" && sample.ExpectedOutput is not null);
        Assert.Contains(All.Value.Values, sample => sample.Source.StartsWith("docs/", StringComparison.Ordinal));
        Assert.Contains(All.Value.Values, sample => sample.Source.StartsWith("src/", StringComparison.Ordinal));
    }

    private static IEnumerable<DocumentationSample> MarkdownSamples() =>
        RepositoryFiles.MarkdownPages().SelectMany(page => MarkdownSampleReader.Read(page, RepositoryFiles.ReadLines(page)).Samples);

    private static IEnumerable<DocumentationSample> XmlDocSamples() =>
        RepositoryFiles.LibrarySources().SelectMany(file => XmlDocSampleReader.Read(file, RepositoryFiles.ReadLines(file)));

    private static TheoryData<string> Names(Func<DocumentationSample, bool> filter) =>
        [.. All.Value.Values.Where(filter).Select(sample => sample.Name)];

    private static string Normalized(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd())).Trim('\n');
}

/// <summary>Tests that redirect <see cref="Console.Out"/> run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleOutputCollection
{
    public const string Name = "Console output";
}
