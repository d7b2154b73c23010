namespace TinyAutograd.Optim;

/// <summary>
/// Ramps the rate up linearly over W steps, then hands over to another schedule: α_t = α_next(0)·(t + 1)/(W + 1) for
/// t &lt; W, and α_t = α_next(t − W) from t = W on.
/// </summary>
/// <remarks>
/// Warm-up keeps the first, large and badly scaled gradients of a fresh model (and Adam's noisy early moment
/// estimates) from throwing the parameters far away; the ramp never reaches zero, so no step is wasted.
/// </remarks>
public sealed class LinearWarmup : ILearningRateSchedule
{
    /// <summary>A linear warm-up of <paramref name="warmupSteps"/> steps before <paramref name="next"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupSteps"/> is below 1.</exception>
    public LinearWarmup(int warmupSteps, ILearningRateSchedule next)
    {
        ArgumentNullException.ThrowIfNull(next);
        WarmupSteps = ScheduleArguments.Count(warmupSteps, nameof(LinearWarmup), nameof(warmupSteps));
        Next = next;
    }

    /// <summary>W.</summary>
    public int WarmupSteps { get; }

    /// <summary>The schedule that follows the warm-up (its step 0 is this schedule's step W).</summary>
    public ILearningRateSchedule Next { get; }

    /// <inheritdoc/>
    public double LearningRateAt(int step)
    {
        ScheduleArguments.Step(step, nameof(LinearWarmup));
        return step < WarmupSteps
            ? Next.LearningRateAt(0) * (step + 1) / (WarmupSteps + 1)
            : Next.LearningRateAt(step - WarmupSteps);
    }
}
