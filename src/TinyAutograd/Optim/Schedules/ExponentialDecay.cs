namespace TinyAutograd.Optim;

/// <summary>Exponential decay: α_t = α₀ e^{−kt}.</summary>
public sealed class ExponentialDecay : ILearningRateSchedule
{
    /// <summary>An exponential-decay schedule.</summary>
    /// <param name="initialRate">α₀.</param>
    /// <param name="decay">k ≥ 0, the decay rate per step.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative or not finite.</exception>
    public ExponentialDecay(double initialRate, double decay)
    {
        InitialRate = ScheduleArguments.Rate(initialRate, nameof(ExponentialDecay), nameof(initialRate));
        Decay = ScheduleArguments.NonNegative(decay, nameof(ExponentialDecay), nameof(decay));
    }

    /// <summary>α₀.</summary>
    public double InitialRate { get; }

    /// <summary>k.</summary>
    public double Decay { get; }

    /// <inheritdoc/>
    public double LearningRateAt(int step) =>
        InitialRate * Math.Exp(-Decay * ScheduleArguments.Step(step, nameof(ExponentialDecay)));
}
