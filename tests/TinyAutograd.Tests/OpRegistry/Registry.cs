namespace TinyAutograd.Tests.OpRegistry;

/// <summary>Every public differentiable op of the library, one <see cref="OpInfo"/> each.</summary>
public static class Registry
{
    /// <summary>All entries, in a fixed order.</summary>
    public static IReadOnlyList<OpInfo> All { get; } =
    [
        .. ElementwiseEntries.All(),
        .. ReductionEntries.All(),
        .. ProductEntries.All(),
        .. LayoutEntries.All(),
        .. LossEntries.All(),
        .. AttentionEntries.All(),
    ];

    /// <summary>The entry named <paramref name="name"/>.</summary>
    public static OpInfo Named(string name) => All.Single(op => op.Name == name);

    /// <summary>The entries' names, one theory case each.</summary>
    public static TheoryData<string> Names { get; } = new(All.Select(op => op.Name));
}
