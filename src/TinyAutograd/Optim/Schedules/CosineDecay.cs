namespace TinyAutograd.Optim;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter 2017, without restarts): α_t = α_min + ½(α₀ − α_min)(1 + cos(π t/T)) for
/// t ≤ T, then α_min.
/// </summary>
public sealed class CosineDecay : ILearningRateSchedule
{
    /// <summary>A cosine schedule from α₀ down to α_min over T steps.</summary>
    /// <param name="initialRate">α₀.</param>
    /// <param name="totalSteps">T, the step at which α_min is reached.</param>
    /// <param name="finalRate">α_min (default 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public CosineDecay(double initialRate, int totalSteps, double finalRate = 0)
    {
        InitialRate = ScheduleArguments.Rate(initialRate, nameof(CosineDecay), nameof(initialRate));
        TotalSteps = ScheduleArguments.Count(totalSteps, nameof(CosineDecay), nameof(totalSteps));
        FinalRate = ScheduleArguments.Rate(finalRate, nameof(CosineDecay), nameof(finalRate));
    }

    /// <summary>α₀.</summary>
    public double InitialRate { get; }

    /// <summary>T.</summary>
    public int TotalSteps { get; }

    /// <summary>α_min.</summary>
    public double FinalRate { get; }

    /// <inheritdoc/>
    public double LearningRateAt(int step)
    {
        int t = Math.Min(ScheduleArguments.Step(step, nameof(CosineDecay)), TotalSteps);
        return FinalRate + 0.5 * (InitialRate - FinalRate) * (1 + Math.Cos(Math.PI * t / TotalSteps));
    }
}
