namespace TinyAutograd.Tests.Documentation;

/// <summary>Finds the repository's documentation and source files from the test's output folder.</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds <c>TinyAutograd.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>README.md and every guide in docs/, as paths relative to <see cref="Root"/> with '/' separators.</summary>
    public static IReadOnlyList<string> MarkdownPages() =>
        [
            "README.md",
            .. Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories)
                .Select(Relative)
                .Where(path => !path.StartsWith("docs/api/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal),
        ];

    /// <summary>Every C# file of the library, relative to <see cref="Root"/>.</summary>
    public static IReadOnlyList<string> LibrarySources() =>
        [.. Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(Relative)
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>The lines of a repository file.</summary>
    public static string[] ReadLines(string relativePath) => File.ReadAllLines(Path.Combine(Root, relativePath));

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TinyAutograd.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No TinyAutograd.sln above {AppContext.BaseDirectory}: cannot find the documentation.");
    }
}
