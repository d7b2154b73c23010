namespace TinyAutograd.Optim;

/// <summary>Argument checks shared by the schedules, with messages that name the schedule.</summary>
internal static class ScheduleArguments
{
    public static double Rate(double value, string schedule, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{schedule}: {name} is {value}; expected a finite learning rate ≥ 0.");
        }
        return value;
    }

    public static double NonNegative(double value, string schedule, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{schedule}: {name} is {value}; expected a finite value ≥ 0.");
        }
        return value;
    }

    public static double Factor(double value, string schedule, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{schedule}: {name} is {value}; expected a factor in (0, 1].");
        }
        return value;
    }

    public static int Count(int value, string schedule, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{schedule}: {name} is {value}; expected at least 1.");
        }
        return value;
    }

    public static int Step(int step, string schedule)
    {
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"{schedule}.LearningRateAt: step {step} is negative; steps count from 0.");
        }
        return step;
    }
}
