namespace TinyAutograd.Profiling;

/// <summary>Which ceiling of the roofline limits an op: its arithmetic intensity against the ridge point peak / bandwidth.</summary>
public enum RooflineBound
{
    /// <summary>Below the ridge point: the memory bandwidth limits it.</summary>
    Memory,

    /// <summary>At or above the ridge point: the FMA peak limits it.</summary>
    Compute,
}
