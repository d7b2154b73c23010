namespace TinyAutograd.Optim;

/// <summary>Cuts the rate by a factor every n steps: α_t = α₀ · factor^⌊t/n⌋, n usually counted in epochs.</summary>
public sealed class StepDecay : ILearningRateSchedule
{
    /// <summary>A step-decay schedule.</summary>
    /// <param name="initialRate">α₀.</param>
    /// <param name="interval">n: the rate changes at t = n, 2n, 3n, ….</param>
    /// <param name="factor">The multiplier at each cut, in (0, 1] (e.g. 0.5).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public StepDecay(double initialRate, int interval, double factor)
    {
        InitialRate = ScheduleArguments.Rate(initialRate, nameof(StepDecay), nameof(initialRate));
        Interval = ScheduleArguments.Count(interval, nameof(StepDecay), nameof(interval));
        Factor = ScheduleArguments.Factor(factor, nameof(StepDecay), nameof(factor));
    }

    /// <summary>α₀.</summary>
    public double InitialRate { get; }

    /// <summary>n, the steps between cuts.</summary>
    public int Interval { get; }

    /// <summary>The multiplier at each cut.</summary>
    public double Factor { get; }

    /// <inheritdoc/>
    public double LearningRateAt(int step) =>
        InitialRate * Math.Pow(Factor, ScheduleArguments.Step(step, nameof(StepDecay)) / Interval);
}
