namespace TinyAutograd.Nn;

/// <summary>
/// How a state dict matched a module: the names the module has but the state dict lacks, the names the state dict
/// has but the module lacks, and the names whose shapes differ. Returned by a non-strict
/// <see cref="Module{T}.LoadStateDict"/>; a strict load throws <see cref="StateDictMismatchException"/> carrying it.
/// </summary>
public sealed class StateDictLoadResult
{
    /// <summary>Creates the result from its three lists.</summary>
    /// <param name="missing">Dotted names of the module's parameters and buffers that the state dict lacks (left unchanged).</param>
    /// <param name="unexpected">Names in the state dict that match nothing in the module (ignored).</param>
    /// <param name="shapeMismatches">Names present on both sides with different shapes (left unchanged), each as "name: module [..], state dict [..]".</param>
    public StateDictLoadResult(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapeMismatches)
    {
        ArgumentNullException.ThrowIfNull(missing);
        ArgumentNullException.ThrowIfNull(unexpected);
        ArgumentNullException.ThrowIfNull(shapeMismatches);
        Missing = missing;
        Unexpected = unexpected;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>Dotted names of the module's parameters and buffers that the state dict lacks (left unchanged).</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Names in the state dict that match nothing in the module (ignored).</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Names present on both sides with different shapes (left unchanged), each as "name: module [..], state dict [..]".</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    /// <summary>Whether every name matched with its shape.</summary>
    public bool IsExactMatch => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatches.Count == 0;

    /// <summary>Every problem on one line, grouped by kind; empty for an exact match.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Missing.Count > 0)
        {
            parts.Add($"missing {Missing.Count}: {string.Join(", ", Missing)}");
        }
        if (Unexpected.Count > 0)
        {
            parts.Add($"unexpected {Unexpected.Count}: {string.Join(", ", Unexpected)}");
        }
        if (ShapeMismatches.Count > 0)
        {
            parts.Add($"shape mismatch {ShapeMismatches.Count}: {string.Join("; ", ShapeMismatches)}");
        }
        return string.Join("; ", parts);
    }
}
