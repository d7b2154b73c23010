namespace TinyAutograd.Optim;

/// <summary>
/// Drives an optimizer's learning rate from a schedule: sets α(0) when created and α(t) at the t-th
/// <see cref="Step"/>. Call <see cref="Step"/> once per epoch or once per iteration, whichever t should count.
/// </summary>
/// <remarks><c>var scheduler = new LearningRateScheduler(optimizer, new StepDecay(0.1, interval: 10, factor: 0.5));</c> then <c>scheduler.Step()</c> after each epoch.</remarks>
public sealed class LearningRateScheduler
{
    private readonly ILearningRateTarget _optimizer;

    /// <summary>Attaches <paramref name="schedule"/> to <paramref name="optimizer"/> and sets the rate for t = 0.</summary>
    public LearningRateScheduler(ILearningRateTarget optimizer, ILearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        _optimizer = optimizer;
        Schedule = schedule;
        _optimizer.LearningRate = schedule.LearningRateAt(0);
    }

    /// <summary>The schedule followed.</summary>
    public ILearningRateSchedule Schedule { get; }

    /// <summary>t, the number of <see cref="Step"/> calls so far.</summary>
    public int StepCount { get; private set; }

    /// <summary>The rate set for the current t.</summary>
    public double LearningRate => Schedule.LearningRateAt(StepCount);

    /// <summary>Advances t by one and sets the optimizer's rate to α(t).</summary>
    public void Step()
    {
        StepCount++;
        _optimizer.LearningRate = Schedule.LearningRateAt(StepCount);
    }

    /// <summary>Jumps to step <paramref name="step"/> (e.g. when resuming from a checkpoint) and sets α(step).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public void Resume(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        _optimizer.LearningRate = Schedule.LearningRateAt(step);
        StepCount = step;
    }
}
