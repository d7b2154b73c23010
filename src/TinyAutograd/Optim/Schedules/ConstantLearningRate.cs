namespace TinyAutograd.Optim;

/// <summary>The same learning rate at every step: α_t = α₀, typically found by trying a few values.</summary>
public sealed class ConstantLearningRate : ILearningRateSchedule
{
    /// <summary>A constant schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is negative or not finite.</exception>
    public ConstantLearningRate(double rate) => Rate = ScheduleArguments.Rate(rate, nameof(ConstantLearningRate), nameof(rate));

    /// <summary>α₀.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public double LearningRateAt(int step)
    {
        ScheduleArguments.Step(step, nameof(ConstantLearningRate));
        return Rate;
    }
}
