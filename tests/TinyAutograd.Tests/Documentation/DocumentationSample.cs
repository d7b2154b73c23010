namespace TinyAutograd.Tests.Documentation;

/// <summary>One C# code sample of the documentation, where it was found and what it must do.</summary>
/// <param name="Source">The file, relative to the repository root, e.g. <c>docs/getting-started.md</c>.</param>
/// <param name="Line">The 1-based line of the sample's first code line.</param>
/// <param name="Heading">The nearest heading above the sample (Markdown) or the documented member's file (XML docs).</param>
/// <param name="Code">The sample's source text.</param>
/// <param name="IsPartial">
/// True for a fragment deliberately left incomplete (marked <c>```csharp partial</c>): it must parse, and must not
/// compile as a program on its own (else it should be a complete, tested sample).
/// </param>
/// <param name="ExpectedOutput">
/// What a complete sample prints, from the <c>```text</c> block after an "It prints" paragraph; null when the
/// documentation shows no output.
/// </param>
internal sealed record DocumentationSample(
    string Source, int Line, string Heading, string Code, bool IsPartial, string? ExpectedOutput)
{
    /// <summary>The name of the sample's test case: file, line and heading.</summary>
    public string Name => $"{Source}:{Line} ({Heading})";
}
