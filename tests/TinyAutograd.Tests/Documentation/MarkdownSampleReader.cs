namespace TinyAutograd.Tests.Documentation;

/// <summary>
/// Reads the C# samples of a Markdown page. The rules, which the tests enforce:
/// <list type="bullet">
/// <item>Every fenced block names its language (<c>```csharp</c>, <c>```bash</c>, <c>```text</c>, …).</item>
/// <item><c>```csharp</c> is a complete program (top-level statements): it is compiled and run.</item>
/// <item><c>```csharp partial</c> is a deliberate fragment: it must parse, and must not compile on its own.</item>
/// <item>A complete sample followed by a paragraph that starts with "It prints" must be followed, right after that
/// paragraph, by a <c>```text</c> block holding exactly what it prints.</item>
/// </list>
/// </summary>
internal static class MarkdownSampleReader
{
    private const string PrintsMarker = "It prints";

    /// <summary>The samples of <paramref name="source"/> and the problems with how its code blocks are marked.</summary>
    public static (IReadOnlyList<DocumentationSample> Samples, IReadOnlyList<string> Problems) Read(string source, string[] lines)
    {
        var blocks = FencedBlocks(source, lines, out var problems);
        var samples = new List<DocumentationSample>();
        for (int i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.Language is not ("csharp" or "cs" or "c#"))
            {
                continue;
            }
            bool partial = block.Marker == "partial";
            if (block.Marker is not (null or "partial"))
            {
                problems.Add($"{source}:{block.Line}: unknown sample marker '{block.Marker}' (only 'partial' is known).");
                continue;
            }
            string? expected = null;
            int paragraph = FirstNonBlank(lines, block.EndLine + 1);
            if (paragraph < lines.Length && lines[paragraph].TrimStart().StartsWith(PrintsMarker, StringComparison.Ordinal))
            {
                var output = i + 1 < blocks.Count ? blocks[i + 1] : null;
                int afterParagraph = FirstNonBlank(lines, EndOfParagraph(lines, paragraph));
                if (partial)
                {
                    problems.Add($"{source}:{block.Line}: a partial sample cannot show what it prints; make it complete.");
                }
                else if (output is null || output.Language != "text" || output.Line - 2 != afterParagraph)
                {
                    problems.Add($"{source}:{paragraph + 1}: \"{PrintsMarker}\" must be followed by a ```text block with the output.");
                }
                else
                {
                    expected = output.Code;
                }
            }
            samples.Add(new DocumentationSample(source, block.Line, block.Heading, block.Code, partial, expected));
        }
        return (samples, problems);
    }

    /// <summary>One fenced block: its first code line (1-based), language, marker, code and closing line (0-based).</summary>
    private sealed record FencedBlock(int Line, string Heading, string Language, string? Marker, string Code, int EndLine);

    private static List<FencedBlock> FencedBlocks(string source, string[] lines, out List<string> problems)
    {
        problems = [];
        var blocks = new List<FencedBlock>();
        string heading = source;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimStart();
            if (line.StartsWith('#'))
            {
                heading = line.TrimStart('#').Trim();
                continue;
            }
            if (!line.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            string fence = new('`', line.TakeWhile(c => c == '`').Count());
            var info = line[fence.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (info.Length == 0)
            {
                problems.Add($"{source}:{i + 1}: a code block without a language; say ```csharp, ```bash, ```text, ….");
            }
            int end = i + 1;
            while (end < lines.Length && lines[end].Trim() != fence)
            {
                end++;
            }
            if (end == lines.Length)
            {
                problems.Add($"{source}:{i + 1}: the code block is never closed.");
                break;
            }
            blocks.Add(new FencedBlock(
                i + 2, heading, info.Length > 0 ? info[0] : "", info.Length > 1 ? string.Join(' ', info[1..]) : null,
                string.Join('\n', lines[(i + 1)..end]), end));
            i = end;
        }
        return blocks;
    }

    private static int FirstNonBlank(string[] lines, int from)
    {
        while (from < lines.Length && string.IsNullOrWhiteSpace(lines[from]))
        {
            from++;
        }
        return from;
    }

    private static int EndOfParagraph(string[] lines, int from)
    {
        while (from < lines.Length && !string.IsNullOrWhiteSpace(lines[from]) && !lines[from].TrimStart().StartsWith("```", StringComparison.Ordinal))
        {
            from++;
        }
        return from;
    }
}
