namespace TinyAutograd.Optim;

/// <summary>
/// Step decay driven by the loss: whenever the reported loss rises above the previous one, the optimizer's rate is
/// multiplied by a factor (the decreasing half of the "bold driver" heuristic, Battiti 1989).
/// </summary>
/// <remarks>
/// After each epoch: <c>decay.Report(epochLoss)</c>. On a report of L_t: if L_t &gt; L_{t−1}, α ← max(α · factor, α_min).
/// The first report only records the loss. For resuming, <see cref="PreviousLoss"/> can be saved and restored.
/// </remarks>
public sealed class DecayOnLossIncrease
{
    private readonly ILearningRateTarget _optimizer;

    /// <summary>Watches the loss for <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">The optimizer whose rate is cut.</param>
    /// <param name="factor">The multiplier at each cut, in (0, 1]. Default 0.5.</param>
    /// <param name="minimumRate">The rate never goes below this. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public DecayOnLossIncrease(ILearningRateTarget optimizer, double factor = 0.5, double minimumRate = 0)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        _optimizer = optimizer;
        Factor = ScheduleArguments.Factor(factor, nameof(DecayOnLossIncrease), nameof(factor));
        MinimumRate = ScheduleArguments.Rate(minimumRate, nameof(DecayOnLossIncrease), nameof(minimumRate));
    }

    /// <summary>The multiplier at each cut.</summary>
    public double Factor { get; }

    /// <summary>The floor of the rate.</summary>
    public double MinimumRate { get; }

    /// <summary>The last reported loss (null before the first report).</summary>
    public double? PreviousLoss { get; set; }

    /// <summary>Reports the latest loss; cuts the rate if it rose. Returns whether it cut.</summary>
    /// <exception cref="ArgumentException"><paramref name="loss"/> is NaN.</exception>
    public bool Report(double loss)
    {
        if (double.IsNaN(loss))
        {
            throw new ArgumentException("DecayOnLossIncrease.Report: the loss is NaN; training has diverged (restart from another initialization or a smaller rate).", nameof(loss));
        }
        bool rose = PreviousLoss is { } previous && loss > previous;
        if (rose)
        {
            _optimizer.LearningRate = Math.Max(_optimizer.LearningRate * Factor, MinimumRate);
        }
        PreviousLoss = loss;
        return rose;
    }
}
