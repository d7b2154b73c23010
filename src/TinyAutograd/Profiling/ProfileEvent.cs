namespace TinyAutograd.Profiling;

/// <summary>
/// One timed interval of a profile: an op's forward, backward or JVP, or a named region, on one thread.
/// </summary>
/// <param name="Name">The op's public name (a composite's, such as <c>CrossEntropy</c>, for the ops inside it; a custom op's own name), or the region's.</param>
/// <param name="Kind">What was timed.</param>
/// <param name="ThreadId">The managed thread that ran it.</param>
/// <param name="Region">The enclosing regions' names joined by <c>/</c>, empty outside any region (for a region, its own path).</param>
/// <param name="StartSeconds">When it began, in seconds since the profiler started.</param>
/// <param name="DurationSeconds">How long it took, in seconds.</param>
/// <param name="StartsCall">Whether the event begins a new call of the op (a composite's inner records after the first do not).</param>
/// <param name="Cost">Its FLOPs and bytes by the op's formula, or null when unknown (an undeclared custom op, an op run without a node, a region).</param>
/// <param name="ElementType">The element type, <c>float32</c> or <c>float64</c> (empty for a region).</param>
/// <param name="InputShapes">The shapes of the op's inputs when they are known (empty otherwise).</param>
public readonly record struct ProfileEvent(
    string Name,
    ProfileEventKind Kind,
    int ThreadId,
    string Region,
    double StartSeconds,
    double DurationSeconds,
    bool StartsCall,
    OperationCost? Cost,
    string ElementType,
    IReadOnlyList<Shape> InputShapes)
{
    /// <summary>The op's or the region's name; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public string Name { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Name);

    /// <summary>The enclosing regions joined by <c>/</c>; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public string Region { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Region);

    /// <summary><c>float32</c>, <c>float64</c>, or empty for a region; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public string ElementType { get; init => field = Argument.NotNull(value); } = Argument.NotNull(ElementType);

    /// <summary>The op's input shapes; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IReadOnlyList<Shape> InputShapes { get; init => field = Argument.NotNull(value); } = Argument.NotNull(InputShapes);
}
