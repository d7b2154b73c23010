namespace TinyAutograd.Optim;

/// <summary>
/// The hyper-parameters of one optimizer for one <see cref="ParameterGroup{T}"/>: the learning rate, which every
/// method has and which schedules drive, plus each method's own settings in a derived record.
/// </summary>
/// <remarks>
/// Options are mutable so that a running optimizer can be retuned (<c>optimizer.Options.Beta1 = 0.8</c>); they are
/// checked by <see cref="Validate"/> at every step, so a bad value fails at the next <c>Step</c> with a message naming
/// it. A <see cref="ParameterGroup{T}"/> keeps its own copy, so one options object can seed several groups.
/// </remarks>
public abstract record OptimizerOptions
{
    private double _learningRate;

    /// <summary>Sets the method's default learning rate.</summary>
    /// <param name="defaultLearningRate">η for this method when the caller does not choose one.</param>
    protected OptimizerOptions(double defaultLearningRate) => LearningRate = defaultLearningRate;

    /// <summary>The learning rate η (written ε or α in some texts): the scale of every step. Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            RequireLearningRate(value, $"{GetType().Name}.LearningRate");
            _learningRate = value;
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a usable learning rate: finite and ≥ 0.</summary>
    /// <param name="value">The rate to check.</param>
    /// <param name="where">What the rate is, for the message (e.g. <c>AdamOptions.LearningRate</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    internal static void RequireLearningRate(double value, string where)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{where}: {value} is not a usable learning rate; expected a finite value ≥ 0.");
        }
    }

    /// <summary>Checks every hyper-parameter against its allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range; the message names it and the range.</exception>
    public virtual void Validate()
    {
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [0, 1) (decay rates such as ρ, β and γ).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is outside [0, 1).</exception>
    protected void RequireDecayRate(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}.{name}: {value} is out of range; expected a value in [0, 1).");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt; 0 (stabilizers such as δ, tolerances).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not finite and positive.</exception>
    protected void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}.{name}: {value} is out of range; expected a finite value > 0.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0 (weight decay, damping).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative or not finite.</exception>
    protected void RequireNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}.{name}: {value} is out of range; expected a finite value ≥ 0.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is at least 1 (iteration counts, history sizes).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is below 1.</exception>
    protected void RequireCount(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}.{name}: {value} is out of range; expected at least 1.");
        }
    }
}
