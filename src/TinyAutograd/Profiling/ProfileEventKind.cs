namespace TinyAutograd.Profiling;

/// <summary>What a <see cref="ProfileEvent"/> timed.</summary>
public enum ProfileEventKind
{
    /// <summary>An op's forward computation, from its call to the end of its recording.</summary>
    Forward,

    /// <summary>An op's backward rule, run by the backward pass for its node.</summary>
    Backward,

    /// <summary>An op's forward-mode rule: the tangent of its output (JVP).</summary>
    Jvp,

    /// <summary>A user-named region (<see cref="Profiler.Region"/>).</summary>
    Region,
}
