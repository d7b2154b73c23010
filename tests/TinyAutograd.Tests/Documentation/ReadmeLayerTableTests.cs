using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Documentation;

/// <summary>The README's table of layers names every public layer of the library with its PyTorch equivalent.</summary>
public sealed class ReadmeLayerTableTests
{
    [Fact]
    public void Every_public_layer_has_a_row()
    {
        var lines = RepositoryFiles.ReadLines("README.md");
        int start = Array.IndexOf(lines, "## Layers");
        Assert.True(start >= 0, "README.md has no \"## Layers\" section");
        var rows = lines.Skip(start + 1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal)).ToArray();
        var named = rows.SelectMany(row => row.Split('|')[1].Split(',').Select(cell => cell.Trim().Trim('`'))).ToHashSet(StringComparer.Ordinal);
        Assert.All(rows, row => Assert.Contains("nn.", row.Split('|')[2], StringComparison.Ordinal));

        var layers = typeof(Module<>).Assembly.GetExportedTypes()
            .Where(type => !type.IsAbstract && IsModule(type))
            .Select(type => type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)])
            .ToArray();
        Assert.NotEmpty(layers);
        Assert.All(layers, layer => Assert.True(named.Contains(layer), $"README.md's layer table has no row for {layer}"));
    }

    private static bool IsModule(Type type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(Module<>))
            {
                return true;
            }
        }
        return false;
    }
}
