namespace TinyAutograd.Optim;

/// <summary>
/// A learning rate as a function of the step index t (counted in epochs or in iterations, whichever the caller
/// advances it by). Drive an optimizer with <see cref="LearningRateScheduler"/>.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate at step <paramref name="step"/> (t = 0 is the start).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    double LearningRateAt(int step);
}
