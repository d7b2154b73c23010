namespace TinyAutograd.Profiling;

/// <summary>A named region of a <see cref="ProfileReport"/> (<see cref="Profiler.Region"/>), summed over its entries.</summary>
/// <param name="Path">The region's name after its enclosing regions' names, joined by <c>/</c>: <c>step/conv1</c>.</param>
/// <param name="Calls">How many times it was entered.</param>
/// <param name="Seconds">Its wall time summed over entries.</param>
/// <param name="OpsSeconds">The time of the ops run inside it (and inside its nested regions), summed.</param>
public sealed record RegionProfile(string Path, int Calls, double Seconds, double OpsSeconds)
{
    /// <summary>The region's path; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public string Path { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Path);
}
