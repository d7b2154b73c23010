namespace TinyAutograd.Differentiation;

/// <summary>
/// The calling thread's recording settings, read together: whether gradients are recorded (<see cref="GradMode"/>),
/// whether tangents are suspended, whether anomaly checks run (<see cref="AnomalyMode"/>) and whether a composite op's
/// call labels the nodes recorded now (<see cref="OpCall.Enter"/>).
/// </summary>
/// <remarks>
/// The settings are packed in one thread-static <see langword="int"/>, so an op reads them all with a single load of a
/// primitive thread static (the runtime's fast path; an object held in a thread static costs three dependent loads
/// more), and the usual case, nothing set, is one comparison with zero.
/// </remarks>
internal readonly struct RecordingState
{
    private const int GradDisabledBit = 1;
    private const int AnomalyBit = 2;
    private const int CompositeBit = 4;
    private const int OneSuspension = 8;

    [ThreadStatic]
    private static int t_bits;

    [ThreadStatic]
    private static OpCall? t_composite;

    private readonly int _bits;

    private RecordingState(int bits) => _bits = bits;

    /// <summary>The calling thread's settings now.</summary>
    public static RecordingState Current => new(t_bits);

    /// <summary>Whether recording is off (inside <see cref="GradMode.Disable"/>).</summary>
    public bool GradDisabled => (_bits & GradDisabledBit) != 0;

    /// <summary>Whether a tangent push is running: its own ops carry no tangents.</summary>
    public bool TangentsSuspended => _bits >= OneSuspension;

    /// <summary>Whether anomaly checks run.</summary>
    public bool AnomalyEnabled => (_bits & AnomalyBit) != 0;

    /// <summary>Whether a node recorded now needs more than its op's own call: a composite's call, or an anomaly-mode place.</summary>
    public bool LabelsNodes => (_bits & (AnomalyBit | CompositeBit)) != 0;

    /// <summary>The outermost open composite op's call, or null when no composite's scope is open.</summary>
    public OpCall? Composite => (_bits & CompositeBit) != 0 ? t_composite : null;

    /// <summary>Turns recording off or on for the calling thread.</summary>
    public static void SetGradDisabled(bool disabled) => t_bits = disabled ? t_bits | GradDisabledBit : t_bits & ~GradDisabledBit;

    /// <summary>Turns anomaly checks on or off for the calling thread.</summary>
    public static void SetAnomalyEnabled(bool enabled) => t_bits = enabled ? t_bits | AnomalyBit : t_bits & ~AnomalyBit;

    /// <summary>Makes <paramref name="call"/> the composite call that labels the nodes recorded now; null ends it.</summary>
    public static void SetComposite(OpCall? call)
    {
        t_composite = call;
        t_bits = call is null ? t_bits & ~CompositeBit : t_bits | CompositeBit;
    }

    /// <summary>Starts a tangent push (they nest).</summary>
    public static void SuspendTangents() => t_bits += OneSuspension;

    /// <summary>Ends the innermost tangent push.</summary>
    public static void ResumeTangents() => t_bits -= OneSuspension;
}
