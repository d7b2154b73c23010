namespace TinyAutograd.Checks;

/// <summary>
/// Recognises a hand Hessian that is not symmetric: second derivatives of a twice continuously differentiable function
/// commute (Schwarz's theorem), so of each unequal pair (a, b), (b, a) one is wrong.
/// </summary>
internal static class SymmetryPattern
{
    /// <summary>The asymmetry of a Hessian part, as a diagnosis; null when it is symmetric or not a Hessian.</summary>
    public static PatternDiagnosis? Find(PartValues part, CheckOptions options)
    {
        if (part.RowKind != RowKind.Variables)
        {
            return null;
        }
        int n = part.Columns, pairs = 0, asymmetric = 0, worstRow = 0, worstColumn = 0, worstPoint = 0;
        bool upperWrong = false, lowerWrong = false;
        double worstGap = -1;
        for (int row = 0; row < n; row++)
        {
            for (int column = row + 1; column < n; column++)
            {
                pairs++;
                bool differs = false;
                for (int point = 0; point < part.PointCount; point++)
                {
                    var hand = part.Hand(point);
                    var autoDiff = part.AutoDiff(point);
                    double upper = hand[row * n + column], lower = hand[column * n + row];
                    double gap = Math.Abs(upper - lower);
                    if (gap <= options.ToleranceFor(Math.Max(Math.Abs(upper), Math.Abs(lower))))
                    {
                        continue;
                    }
                    differs = true;
                    upperWrong |= !PartValues.Matches(upper, autoDiff[row * n + column], options);
                    lowerWrong |= !PartValues.Matches(lower, autoDiff[column * n + row], options);
                    if (gap > worstGap)
                    {
                        (worstGap, worstRow, worstColumn, worstPoint) = (gap, row, column, point);
                    }
                }
                asymmetric += differs ? 1 : 0;
            }
        }
        if (asymmetric == 0)
        {
            return null;
        }
        var values = part.Hand(worstPoint);
        string triangle = upperWrong == lowerWrong ? ""
            : $" The {(upperWrong ? "lower" : "upper")} triangle matches autodiff: the {(upperWrong ? "upper" : "lower")} one is wrong.";
        return new(PatternKind.AsymmetricHessian, part.Name,
            $"the hand Hessian is not symmetric: {asymmetric} of {pairs} off-diagonal pairs differ, most {part.Quantity(worstRow, worstColumn)} = " +
            $"{CheckText.Number(values[worstRow * n + worstColumn])} against {part.Quantity(worstColumn, worstRow)} = {CheckText.Number(values[worstColumn * n + worstRow])}. " +
            $"Second derivatives commute (Schwarz), so one of each pair is wrong.{triangle}", null, []);
    }
}
