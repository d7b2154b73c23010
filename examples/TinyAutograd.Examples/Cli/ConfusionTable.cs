using Spectre.Console;

namespace TinyAutograd.Examples.Cli;

/// <summary>Shows a classifier's confusion matrix.</summary>
internal static class ConfusionTable
{
    /// <summary>A Spectre table of a confusion matrix, the diagonal (correct answers) in green.</summary>
    public static Table Create(int[,] confusion, IReadOnlyList<string> classNames)
    {
        var table = new Table().Title("Confusion on the test split (rows: true class, columns: predicted)").AddColumn("true \\ predicted");
        foreach (var name in classNames)
        {
            table.AddColumn(new TableColumn(Markup.Escape(Abbreviate(name))).RightAligned());
        }
        for (int row = 0; row < classNames.Count; row++)
        {
            var cells = new List<string> { Markup.Escape(classNames[row]) };
            for (int column = 0; column < classNames.Count; column++)
            {
                string count = Format.Integer(confusion[row, column]);
                cells.Add(row == column ? $"[green]{count}[/]" : confusion[row, column] == 0 ? "[grey]·[/]" : $"[red]{count}[/]");
            }
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>The confusion matrix as rows of counts, for JSON.</summary>
    public static int[][] ToRows(int[,] confusion) =>
        Enumerable.Range(0, confusion.GetLength(0)).Select(row => Enumerable.Range(0, confusion.GetLength(1)).Select(column => confusion[row, column]).ToArray()).ToArray();

    private static string Abbreviate(string name) => name.Length <= 7 ? name : name[..6] + ".";
}
