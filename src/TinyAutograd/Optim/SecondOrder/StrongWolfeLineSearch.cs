namespace TinyAutograd.Optim;

/// <summary>The outcome of a line search along a direction d from θ₀.</summary>
/// <param name="Step">The accepted α (0 if no point with sufficient decrease was found).</param>
/// <param name="Value">φ(α) = L(θ₀ + αd).</param>
/// <param name="Evaluations">How many times φ was evaluated.</param>
/// <param name="EndedAtStep">Whether the last evaluation was at <paramref name="Step"/> (so the parameters and gradient are already there).</param>
internal readonly record struct LineSearchResult(double Step, double Value, int Evaluations, bool EndedAtStep);

/// <summary>
/// A line search for the strong Wolfe conditions (Nocedal and Wright, Algorithms 3.5 and 3.6): sufficient decrease
/// φ(α) ≤ φ(0) + c₁αφ′(0) and curvature |φ′(α)| ≤ c₂|φ′(0)|, with safeguarded cubic interpolation for new trials.
/// </summary>
internal static class StrongWolfeLineSearch
{
    /// <summary>Searches along a descent direction (φ′(0) &lt; 0) from the trial step <paramref name="initialStep"/>.</summary>
    /// <param name="phi">Evaluates (φ(α), φ′(α)), leaving the parameters at θ₀ + αd.</param>
    /// <param name="value0">φ(0).</param>
    /// <param name="slope0">φ′(0) = gᵀd, negative.</param>
    /// <param name="initialStep">The first α tried.</param>
    /// <param name="c1">The sufficient-decrease constant.</param>
    /// <param name="c2">The curvature constant, c₁ &lt; c₂ &lt; 1.</param>
    /// <param name="maxEvaluations">The most evaluations of φ.</param>
    /// <param name="minInterval">Zooming stops when the bracket is narrower than this.</param>
    public static LineSearchResult Search(Func<double, (double Value, double Slope)> phi, double value0, double slope0, double initialStep,
        double c1, double c2, int maxEvaluations, double minInterval)
    {
        var previous = new Trial(0, value0, slope0);
        double alpha = initialStep;
        for (int evaluations = 1; evaluations <= maxEvaluations; evaluations++)
        {
            var (value, slope) = phi(alpha);
            var current = new Trial(alpha, value, slope);
            if (!(value <= value0 + c1 * alpha * slope0) || (evaluations > 1 && value >= previous.Value))
            {
                return Zoom(phi, previous, current, alpha, value0, slope0, c1, c2, evaluations, maxEvaluations, minInterval);
            }
            if (Math.Abs(slope) <= -c2 * slope0)
            {
                return new LineSearchResult(alpha, value, evaluations, true);
            }
            if (slope >= 0)
            {
                return Zoom(phi, current, previous, alpha, value0, slope0, c1, c2, evaluations, maxEvaluations, minInterval);
            }
            double next = CubicMinimizer(previous, current, alpha + 0.01 * (alpha - previous.Step), 10 * alpha);
            previous = current;
            alpha = next;
        }
        return new LineSearchResult(previous.Step, previous.Value, maxEvaluations, true);
    }

    /// <summary>
    /// Algorithm 3.6: shrinks the bracket [low, high] (low: the best point with sufficient decrease so far) until a
    /// trial meets both conditions. A NaN value counts as no decrease, so overshooting into undefined territory backtracks.
    /// </summary>
    private static LineSearchResult Zoom(Func<double, (double Value, double Slope)> phi, Trial low, Trial high, double lastEvaluated,
        double value0, double slope0, double c1, double c2, int evaluations, int maxEvaluations, double minInterval)
    {
        while (evaluations < maxEvaluations && Math.Abs(high.Step - low.Step) >= minInterval)
        {
            double left = Math.Min(low.Step, high.Step), right = Math.Max(low.Step, high.Step), margin = 0.1 * (right - left);
            double alpha = CubicMinimizer(low, high, left + margin, right - margin);
            var (value, slope) = phi(alpha);
            evaluations++;
            lastEvaluated = alpha;
            var trial = new Trial(alpha, value, slope);
            if (!(value <= value0 + c1 * alpha * slope0) || value >= low.Value)
            {
                high = trial;
                continue;
            }
            if (Math.Abs(slope) <= -c2 * slope0)
            {
                return new LineSearchResult(alpha, value, evaluations, true);
            }
            if (slope * (high.Step - low.Step) >= 0)
            {
                high = low;
            }
            low = trial;
        }
        return new LineSearchResult(low.Step, low.Value, evaluations, lastEvaluated == low.Step);
    }

    /// <summary>
    /// The minimizer of the cubic that matches φ and φ′ at two points (Nocedal and Wright, eq. 3.59), clamped to
    /// [lower, upper]; the midpoint of that range when the cubic has no minimizer.
    /// </summary>
    internal static double CubicMinimizer(Trial a, Trial b, double lower, double upper)
    {
        double d1 = a.Slope + b.Slope - 3 * (a.Value - b.Value) / (a.Step - b.Step);
        double square = d1 * d1 - a.Slope * b.Slope;
        if (square >= 0)
        {
            double d2 = Math.Sign(b.Step - a.Step) * Math.Sqrt(square);
            double x = b.Step - (b.Step - a.Step) * ((b.Slope + d2 - d1) / (b.Slope - a.Slope + 2 * d2));
            if (double.IsFinite(x))
            {
                return Math.Clamp(x, lower, upper);
            }
        }
        return (lower + upper) / 2;
    }

    /// <summary>A point on the line: α, φ(α), φ′(α).</summary>
    internal readonly record struct Trial(double Step, double Value, double Slope);
}
