namespace TinyAutograd.Checks;

/// <summary>
/// Recognises a mismatch confined to a small, nameable part of the hand values while the rest matches: one element
/// (with its mirror in a Hessian), one row and/or column of a Hessian (the derivative of one gradient element), one row
/// of a Jacobian, one slice of an input (e.g. <c>W[1, :]</c>), one input, or one block of a Hessian.
/// </summary>
internal static class ConfinedPattern
{
    /// <summary>Where the mismatch is confined, as a diagnosis; null when it is spread out or everywhere.</summary>
    public static PatternDiagnosis? Find(PartValues part, CheckOptions options)
    {
        var failing = part.Failing(options);
        var wrong = Enumerable.Range(0, part.Count).Where(e => failing[e]).ToArray();
        if (wrong.Length == 0 || wrong.Length == part.Count || Region(part, wrong) is not { } region)
        {
            return null;
        }
        double? factor = FactorPattern.Fit(part, options, e => failing[e]);
        string within = factor is { } c ? $"; there hand = {FactorPattern.Format(c)} × autodiff{FactorPattern.Hint(c, options)}" : "";
        return new(PatternKind.Confined, part.Name, $"{region} ({wrong.Length} of {part.Count} elements wrong, every other one matches){within}", factor, []);
    }

    private static string? Region(PartValues part, int[] wrong)
    {
        int columns = part.Columns;
        var layout = part.Layout;
        int[] rows = [.. wrong.Select(e => e / columns).Distinct()];
        int[] cols = [.. wrong.Select(e => e % columns).Distinct()];
        bool hessian = part.RowKind == RowKind.Variables;
        if (wrong.Length == 1)
        {
            return $"the mismatch is confined to one element, {part.Quantity(wrong[0])}";
        }
        if (hessian && wrong.Length == 2 && rows[0] == cols[1] && rows[1] == cols[0])
        {
            return $"the mismatch is confined to one element and its mirror, {part.Quantity(wrong[0])} and {part.Quantity(wrong[1])}";
        }
        string[] blocks = hessian ? [.. wrong.Select(e => Block(layout, e / columns, e % columns)).Distinct()] : [];
        if (layout.Names.Length > 1 && blocks.Length == 1 && blocks[0].Contains("mirror", StringComparison.Ordinal))
        {
            return $"the mismatch is confined to the block {blocks[0]} of the Hessian";
        }
        if (hessian && SharedVariable(wrong, columns) is { } k)
        {
            bool inRow = wrong.Any(e => e / columns == k), inColumn = wrong.Any(e => e % columns == k);
            string where = inRow && inColumn ? "row and column" : inRow ? "row" : "column";
            return $"the mismatch is confined to the {where} of {layout.Element(k)} in the Hessian: is the derivative of ∂f/∂{layout.Element(k)} wrong?";
        }
        if (part.RowKind == RowKind.Outputs && rows.Length == 1)
        {
            string output = CheckText.Element("f", CheckText.Unravel(part.OutputShape!.Value, rows[0]));
            return $"the mismatch is confined to row {output} of the Jacobian: is the derivative of {output} wrong?";
        }
        if (!hessian && Slice(layout, cols) is { } slice)
        {
            return $"the mismatch is confined to {slice}";
        }
        if (layout.Names.Length < 2)
        {
            return null;
        }
        if (!hessian)
        {
            int[] inputs = [.. cols.Select(c => layout.Locate(c).Input).Distinct()];
            return inputs.Length == 1 ? $"the mismatch is confined to input {layout.Names[inputs[0]]}" : null;
        }
        return blocks.Length == 1 ? $"the mismatch is confined to the block {blocks[0]} of the Hessian" : null;
    }

    /// <summary>The one variable k that every wrong (row, column) involves, if any.</summary>
    private static int? SharedVariable(int[] wrong, int columns)
    {
        foreach (int k in new[] { wrong[0] / columns, wrong[0] % columns })
        {
            if (wrong.All(e => e / columns == k || e % columns == k))
            {
                return k;
            }
        }
        return null;
    }

    /// <summary>The unordered block of inputs (i, j) a Hessian element lies in, e.g. <c>∂²f/∂w∂b (and its mirror)</c>.</summary>
    private static string Block(InputLayout layout, int row, int column)
    {
        int i = layout.Locate(row).Input, j = layout.Locate(column).Input;
        (i, j) = (Math.Min(i, j), Math.Max(i, j));
        return i == j ? $"∂²f/∂{layout.Names[i]}²" : $"∂²f/∂{layout.Names[i]}∂{layout.Names[j]} (and its mirror)";
    }

    /// <summary>
    /// When all the wrong columns lie in one input of rank ≥ 2 and share their index along one axis, that slice, e.g.
    /// <c>W[1, :]</c>; null otherwise.
    /// </summary>
    private static string? Slice(InputLayout layout, int[] columns)
    {
        int input = layout.Locate(columns[0]).Input;
        var shape = layout.ShapeOf(input);
        if (shape.Rank < 2 || columns.Any(c => layout.Locate(c).Input != input))
        {
            return null;
        }
        var indices = columns.Select(c => layout.Index(c)).ToArray();
        for (int axis = 0; axis < shape.Rank; axis++)
        {
            int value = indices[0][axis];
            if (indices.All(index => index[axis] == value))
            {
                var parts = Enumerable.Range(0, shape.Rank).Select(a => a == axis ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : ":");
                return $"{layout.Names[input]}[{string.Join(", ", parts)}]";
            }
        }
        return null;
    }
}
