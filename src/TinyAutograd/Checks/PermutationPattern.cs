namespace TinyAutograd.Checks;

/// <summary>
/// Recognises hand values that are autodiff's values in another order, by matching the hand values against permutations
/// of the autodiff values at every point: first the layouts people get wrong (an input's axes permuted, e.g. a transposed
/// gradient; in a Hessian the same reordering of rows and columns, which is what swapped Kronecker factors or a
/// column-major vec give; two equal-shaped inputs swapped), then any permutation at all (a bipartite matching).
/// </summary>
internal static class PermutationPattern
{
    /// <summary>The largest part the general matching is tried on.</summary>
    private const int MaxMatchedElements = 2048;

    /// <summary>How many moved elements a diagnosis lists.</summary>
    private const int ListedMoves = 4;

    /// <summary>A reordering of a layout: hand position i holds autodiff's position Map[i].</summary>
    private sealed record Reordering(string Description, int[] Map, string Hint);

    /// <summary>The permutation between hand and autodiff, as a diagnosis; null when there is none.</summary>
    public static PatternDiagnosis? Find(PartValues part, CheckOptions options)
    {
        var identityRows = Identity(part.Rows);
        var variables = VariableReorderings(part.Layout);
        var candidates = new List<(int[] Rows, Reordering Columns, string Where)>();
        foreach (var reordering in variables)
        {
            candidates.Add(part.RowKind == RowKind.Variables
                ? (reordering.Map, reordering, " in both the rows and the columns")
                : (identityRows, reordering, ""));
        }
        if (part.RowKind == RowKind.Outputs)
        {
            var identityColumns = new Reordering("", Identity(part.Columns), "");
            foreach (var rows in AxisReorderings("f", part.OutputShape!.Value, 0, part.Rows))
            {
                candidates.Add((rows.Map, identityColumns, $"{rows.Description} (rows)"));
                candidates.AddRange(variables.Select(columns => (rows.Map, columns, $" (columns), and {rows.Description} (rows)")));
            }
        }
        foreach (var (rows, columns, where) in candidates)
        {
            var map = new int[part.Count];
            for (int e = 0; e < map.Length; e++)
            {
                map[e] = rows[e / part.Columns] * part.Columns + columns.Map[e % part.Columns];
            }
            if (Holds(part, map, options))
            {
                return Diagnosis(part, map, $"a permuted layout: hand = autodiff with {columns.Description}{where}", columns.Hint, options);
            }
        }
        return part.Count <= MaxMatchedElements && Matching(part, options) is { } matched
            ? Diagnosis(part, matched, "a permuted layout: hand = autodiff with its elements reordered", "", options)
            : null;
    }

    private static PatternDiagnosis? Diagnosis(PartValues part, int[] map, string description, string hint, CheckOptions options)
    {
        var moved = new List<MovedElement>();
        for (int e = 0; e < map.Length && moved.Count < ListedMoves; e++)
        {
            if (map[e] != e && Enumerable.Range(0, part.PointCount).Any(p => !PartValues.Matches(part.Hand(p)[e], part.AutoDiff(p)[e], options)))
            {
                moved.Add(new(part.Quantity(e), part.Quantity(map[e])));
            }
        }
        if (moved.Count == 0)
        {
            return null;
        }
        string examples = string.Join("; ", moved.Select(m => $"hand {m.HandElement} holds autodiff's {m.AutoDiffElement}"));
        int count = map.Where((target, e) => target != e).Count();
        return new(PatternKind.Permutation, part.Name, $"{description} ({count} of {map.Length} elements moved): {examples}{(count > moved.Count ? "; …" : "")}.{hint}", null, moved);
    }

    /// <summary>Whether hand[e] matches autodiff[map[e]] at every element and point.</summary>
    private static bool Holds(PartValues part, int[] map, CheckOptions options)
    {
        for (int point = 0; point < part.PointCount; point++)
        {
            var hand = part.Hand(point);
            var autoDiff = part.AutoDiff(point);
            for (int e = 0; e < map.Length; e++)
            {
                if (!PartValues.Matches(hand[e], autoDiff[map[e]], options))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>The reorderings of the layout people get wrong: each input's axes permuted, and equal-shaped inputs swapped.</summary>
    private static List<Reordering> VariableReorderings(InputLayout layout)
    {
        var reorderings = new List<Reordering>();
        for (int i = 0; i < layout.Names.Length; i++)
        {
            foreach (var axes in AxisReorderings(layout.Names[i], layout.ShapeOf(i), layout.Offset(i), layout.Count))
            {
                reorderings.Add(axes with
                {
                    Hint = $" The library orders {layout.Names[i]}'s elements row-major (last axis fastest) in a gradient and in each Hessian " +
                        "axis; a transposed gradient, swapped Kronecker factors (B ⊗ A for A ⊗ B) or a column-major vec give this pattern.",
                });
            }
            for (int j = i + 1; j < layout.Names.Length; j++)
            {
                if (layout.ShapeOf(i) == layout.ShapeOf(j))
                {
                    var map = Identity(layout.Count);
                    for (int k = 0; k < layout.ShapeOf(i).Length; k++)
                    {
                        (map[layout.Offset(i) + k], map[layout.Offset(j) + k]) = (layout.Offset(j) + k, layout.Offset(i) + k);
                    }
                    reorderings.Add(new($"the values of {layout.Names[i]} and {layout.Names[j]} swapped", map, " Are the inputs' parts returned in the wrong order?"));
                }
            }
        }
        return reorderings;
    }

    /// <summary>
    /// For a tensor of <paramref name="shape"/> at <paramref name="offset"/> in a vector of <paramref name="length"/>, each
    /// non-identity permutation σ of its axes (up to rank 4): hand position p holds the element that sits at p in the
    /// tensor permuted by σ.
    /// </summary>
    private static IEnumerable<Reordering> AxisReorderings(string name, Shape shape, int offset, int length)
    {
        if (shape.Rank < 2 || shape.Rank > 4)
        {
            yield break;
        }
        foreach (var axes in Permutations(shape.Rank).Skip(1))
        {
            var permuted = new Shape([.. axes.Select(a => shape[a])]);
            var map = Identity(length);
            var index = new int[shape.Rank];
            for (int p = 0; p < shape.Length; p++)
            {
                var permutedIndex = CheckText.Unravel(permuted, p);
                for (int k = 0; k < axes.Length; k++)
                {
                    index[axes[k]] = permutedIndex[k];
                }
                int source = 0;
                for (int a = 0; a < shape.Rank; a++)
                {
                    source = source * shape[a] + index[a];
                }
                map[offset + p] = offset + source;
            }
            string order = shape.Rank == 2 ? $"{name}'s elements in the order of {name} transposed"
                : $"{name}'s elements in the order of {name} permuted by axes ({string.Join(", ", axes)})";
            yield return new(order, map, "");
        }
    }

    /// <summary>All permutations of 0 … n − 1, the identity first.</summary>
    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 1)
        {
            yield return [0];
            yield break;
        }
        foreach (var shorter in Permutations(n - 1))
        {
            for (int at = shorter.Length; at >= 0; at--)
            {
                yield return [.. shorter[..at], n - 1, .. shorter[at..]];
            }
        }
    }

    /// <summary>
    /// Any permutation under which every hand value matches an autodiff value at every point (a maximum bipartite matching
    /// by augmenting paths, trying each element's own position first); null when none matches them all.
    /// </summary>
    private static int[]? Matching(PartValues part, CheckOptions options)
    {
        int count = part.Count;
        var candidates = new List<int>[count];
        for (int e = 0; e < count; e++)
        {
            candidates[e] = [];
            foreach (int target in Enumerable.Range(0, count).OrderBy(t => t == e ? 0 : 1))
            {
                if (Enumerable.Range(0, part.PointCount).All(p => PartValues.Matches(part.Hand(p)[e], part.AutoDiff(p)[target], options)))
                {
                    candidates[e].Add(target);
                }
            }
            if (candidates[e].Count == 0)
            {
                return null;
            }
        }
        var owner = Enumerable.Repeat(-1, count).ToArray();
        for (int e = 0; e < count; e++)
        {
            if (!Augment(e, candidates, owner, new bool[count]))
            {
                return null;
            }
        }
        var map = new int[count];
        for (int target = 0; target < count; target++)
        {
            map[owner[target]] = target;
        }
        return map;
    }

    private static bool Augment(int e, List<int>[] candidates, int[] owner, bool[] visited)
    {
        foreach (int target in candidates[e])
        {
            if (visited[target])
            {
                continue;
            }
            visited[target] = true;
            if (owner[target] < 0 || Augment(owner[target], candidates, owner, visited))
            {
                owner[target] = e;
                return true;
            }
        }
        return false;
    }

    private static int[] Identity(int n) => [.. Enumerable.Range(0, n)];
}
