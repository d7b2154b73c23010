namespace TinyAutograd.Optim;

/// <summary>1/t decay: α_t = α₀ / (1 + kt).</summary>
public sealed class InverseTimeDecay : ILearningRateSchedule
{
    /// <summary>A 1/t-decay schedule.</summary>
    /// <param name="initialRate">α₀.</param>
    /// <param name="decay">k ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative or not finite.</exception>
    public InverseTimeDecay(double initialRate, double decay)
    {
        InitialRate = ScheduleArguments.Rate(initialRate, nameof(InverseTimeDecay), nameof(initialRate));
        Decay = ScheduleArguments.NonNegative(decay, nameof(InverseTimeDecay), nameof(decay));
    }

    /// <summary>α₀.</summary>
    public double InitialRate { get; }

    /// <summary>k.</summary>
    public double Decay { get; }

    /// <inheritdoc/>
    public double LearningRateAt(int step) =>
        InitialRate / (1 + Decay * ScheduleArguments.Step(step, nameof(InverseTimeDecay)));
}
