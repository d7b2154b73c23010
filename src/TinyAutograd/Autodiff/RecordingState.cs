using System.Runtime.CompilerServices;

namespace TinyAutograd.Differentiation;

/// <summary>
/// The calling thread's recording settings in one object: whether gradients are recorded (<see cref="GradMode"/>),
/// whether tangents are suspended, whether anomaly checks run (<see cref="AnomalyMode"/>) and the composite op whose
/// call labels the nodes recorded now (<see cref="OpCall.Enter"/>). The tape reads them all through one lookup of
/// thread-local storage per op instead of one per setting.
/// </summary>
internal sealed class RecordingState
{
    [ThreadStatic]
    private static RecordingState? t_current;

    /// <summary>The calling thread's settings.</summary>
    public static RecordingState Current => t_current ?? Create();

    /// <summary>Whether recording is off (inside <see cref="GradMode.Disable"/>).</summary>
    public bool GradDisabled;

    /// <summary>How many tangent pushes are running: while one runs, its own ops carry no tangents.</summary>
    public int TangentsSuspended;

    /// <summary>Whether anomaly checks run.</summary>
    public bool AnomalyEnabled;

    /// <summary>The outermost open composite op's call, or null when no composite's scope is open.</summary>
    public OpCall? Composite;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RecordingState Create() => t_current = new RecordingState();
}
