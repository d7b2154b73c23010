namespace TinyAutograd.Tests.Documentation;

/// <summary>The sample reader's rules, on small made-up pages.</summary>
public sealed class MarkdownSampleReaderTests
{
    [Fact]
    public void A_complete_sample_takes_the_text_block_after_its_it_prints_paragraph()
    {
        var (samples, problems) = Read(
            "# Title", "", "```csharp", "Console.WriteLine(1);", "```", "", "It prints", "(and nothing else):", "",
            "```text", "1", "```");
        Assert.Empty(problems);
        var sample = Assert.Single(samples);
        Assert.Equal(("page.md", 4, "Title", "Console.WriteLine(1);", false, "1"),
            (sample.Source, sample.Line, sample.Heading, sample.Code, sample.IsPartial, sample.ExpectedOutput));
    }

    [Fact]
    public void A_partial_sample_is_read_as_partial_and_without_output()
    {
        var (samples, problems) = Read("## Part", "```csharp partial", "x.Backward();", "```", "", "Then more text.");
        Assert.Empty(problems);
        var sample = Assert.Single(samples);
        Assert.True(sample.IsPartial);
        Assert.Null(sample.ExpectedOutput);
    }

    [Theory]
    [InlineData("It prints", "```csharp|A();|```||It prints `1`.", "must be followed by a ```text block")]
    [InlineData("It prints a partial", "```csharp partial|A();|```||It prints||```text|1|```", "a partial sample cannot show")]
    [InlineData("unknown marker", "```csharp partal|A();|```", "unknown sample marker 'partal'")]
    [InlineData("no language", "```|A();|```", "without a language")]
    [InlineData("never closed", "```csharp|A();", "never closed")]
    public void A_badly_marked_block_is_a_problem_naming_its_line(string what, string page, string problem)
    {
        var (_, problems) = Read(page.Split('|'));
        Assert.True(problems.Count == 1 && problems[0].Contains(problem, StringComparison.Ordinal) && problems[0].StartsWith("page.md:", StringComparison.Ordinal),
            $"{what}: {string.Join('\n', problems)}");
    }

    private static (IReadOnlyList<DocumentationSample> Samples, IReadOnlyList<string> Problems) Read(params string[] lines) =>
        MarkdownSampleReader.Read("page.md", lines);
}
