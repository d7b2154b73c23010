namespace TinyAutograd.Optim;

/// <summary>
/// A plain, serializable snapshot of an optimizer's memory, from <see cref="Optimizer{T}.SaveState"/>: loading it into
/// a fresh optimizer of the same method over parameters of the same shapes (holding the same values) resumes training
/// bit for bit.
/// </summary>
/// <remarks>
/// <para>
/// Layout, for writing checkpoint files: <see cref="Method"/> names the optimizer; <see cref="LearningRates"/> holds
/// one η per parameter group (schedules change them); <see cref="Parameters"/> holds one entry per parameter, in the
/// order of <see cref="Optimizer{T}.Parameters"/> (groups in order, parameters in order within each group), each with
/// its update count and its named buffers, each as long as the parameter; <see cref="Scalars"/> and
/// <see cref="Buffers"/> hold memory that belongs to the method as a whole (L-BFGS's curvature history).
/// </para>
/// <para>
/// All values are doubles, also for <see cref="float"/> optimizers: a float converts to double and back exactly. Only
/// state is saved, not hyper-parameters other than the learning rate: construct the fresh optimizer with the same
/// options. Values may be NaN or infinite if training diverged; a JSON writer must allow named floating-point literals
/// to save those.
/// </para>
/// </remarks>
public sealed class OptimizerState
{
    /// <summary>The optimizer's name, e.g. <c>"Adam"</c>; loading checks it.</summary>
    public required string Method { get; init => field = Argument.NotNull(value); }

    /// <summary>The learning rate of each parameter group, in group order.</summary>
    public required IReadOnlyList<double> LearningRates { get; init => field = Argument.NotNull(value); }

    /// <summary>One entry per parameter, in <see cref="Optimizer{T}.Parameters"/> order.</summary>
    public required IReadOnlyList<ParameterStateSnapshot> Parameters { get; init => field = Argument.NotNull(value); }

    /// <summary>Method-wide numbers by name (e.g. L-BFGS's <c>"iterations"</c>).</summary>
    public IReadOnlyDictionary<string, double> Scalars { get; init => field = Argument.NotNull(value); } = new Dictionary<string, double>();

    /// <summary>Method-wide arrays by name (e.g. L-BFGS's <c>"s0"</c>, <c>"y0"</c>, …).</summary>
    public IReadOnlyDictionary<string, double[]> Buffers { get; init => field = Argument.NotNull(value); } = new Dictionary<string, double[]>();
}

/// <summary>The saved memory of one parameter: its update count and its named buffers (see <see cref="ParameterState{T}"/>).</summary>
public sealed class ParameterStateSnapshot
{
    /// <summary>
    /// The parameter's name (its dotted name in a module), or null for a parameter given without one. When every saved
    /// and every current parameter has a name, <see cref="Optimizer{T}.LoadState"/> matches them by name, not position.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>The number of updates applied to the parameter.</summary>
    public long Step { get; init; }

    /// <summary>The parameter's buffers by name, each as long as the parameter, in row-major order.</summary>
    public IReadOnlyDictionary<string, double[]> Buffers { get; init => field = Argument.NotNull(value); } = new Dictionary<string, double[]>();
}
