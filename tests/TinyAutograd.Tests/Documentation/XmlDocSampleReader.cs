using System.Net;
using System.Text.RegularExpressions;

namespace TinyAutograd.Tests.Documentation;

/// <summary>
/// Reads the <c>&lt;code&gt;</c> blocks of the library's XML docs. Each is a complete C# program, compiled and run
/// like a Markdown sample; a block that is not C# (a file layout, say) says so with <c>&lt;code language="text"&gt;</c>.
/// </summary>
internal static partial class XmlDocSampleReader
{
    /// <summary>The C# code blocks of the XML docs in <paramref name="source"/>.</summary>
    public static IReadOnlyList<DocumentationSample> Read(string source, string[] lines)
    {
        var samples = new List<DocumentationSample>();
        for (int i = 0; i < lines.Length; i++)
        {
            var open = CodeOpening().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }
            int end = i + 1;
            while (end < lines.Length && !lines[end].Contains("</code>", StringComparison.Ordinal))
            {
                end++;
            }
            if (open.Groups["language"].Value is "" or "csharp")
            {
                var code = lines[(i + 1)..end].Select(line => WebUtility.HtmlDecode(DocCommentPrefix().Replace(line, "")));
                samples.Add(new DocumentationSample(source, i + 2, Path.GetFileNameWithoutExtension(source), string.Join('\n', code), false, null));
            }
            i = end;
        }
        return samples;
    }

    [GeneratedRegex("""^\s*///\s*<code(\s+language="(?<language>[^"]*)")?>\s*$""")]
    private static partial Regex CodeOpening();

    [GeneratedRegex(@"^\s*/// ?")]
    private static partial Regex DocCommentPrefix();
}
