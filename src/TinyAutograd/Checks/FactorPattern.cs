using System.Globalization;

namespace TinyAutograd.Checks;

/// <summary>
/// Recognises hand = c·autodiff over a set of elements at every point, for one constant c: a sign flip (c = −1), a
/// missing 1/N (c = N), an extra one (c = 1/N), or any other stray factor.
/// </summary>
/// <remarks>c is the least-squares fit Σ hand·autodiff / Σ autodiff²; it holds when every element then matches c·autodiff
/// within tolerance, and at least three of the autodiff values are not zero.</remarks>
internal static class FactorPattern
{
    /// <summary>The constant factor over the elements chosen by <paramref name="include"/> (all by default), or null.</summary>
    public static double? Fit(PartValues part, CheckOptions options, Func<int, bool>? include = null)
    {
        double cross = 0, square = 0;
        int nonZero = 0;
        for (int point = 0; point < part.PointCount; point++)
        {
            var hand = part.Hand(point);
            var autoDiff = part.AutoDiff(point);
            for (int e = 0; e < part.Count; e++)
            {
                if (include is null || include(e))
                {
                    cross += hand[e] * autoDiff[e];
                    square += autoDiff[e] * autoDiff[e];
                    nonZero += Math.Abs(autoDiff[e]) > options.AbsoluteTolerance ? 1 : 0;
                }
            }
        }
        if (nonZero < 3 || !(square > 0))
        {
            return null;
        }
        double factor = cross / square;
        for (int point = 0; point < part.PointCount; point++)
        {
            var hand = part.Hand(point);
            var autoDiff = part.AutoDiff(point);
            for (int e = 0; e < part.Count; e++)
            {
                if ((include is null || include(e)) && !PartValues.Matches(hand[e], factor * autoDiff[e], options))
                {
                    return null;
                }
            }
        }
        return Math.Abs(factor - 1) <= options.RelativeTolerance ? null : factor;
    }

    /// <summary>A constant factor over the whole part, as a diagnosis; null when there is none.</summary>
    public static PatternDiagnosis? Find(PartValues part, CheckOptions options)
    {
        if (Fit(part, options) is not { } factor)
        {
            return null;
        }
        string everywhere = $"at all {part.Count} elements{(part.PointCount > 1 ? $" and all {part.PointCount} points" : "")}";
        if (Math.Abs(factor + 1) <= options.RelativeTolerance)
        {
            return new(PatternKind.SignFlip, part.Name,
                $"the sign is flipped everywhere: hand = −autodiff {everywhere}. A residual taken as (y − f) instead of (f − y), or a " +
                "minus lost in a chain rule?", -1, []);
        }
        return new(PatternKind.ConstantFactor, part.Name,
            $"off by a factor of {Format(factor)} everywhere: hand = {Format(factor)} × autodiff {everywhere}{Hint(factor, options)}", factor, []);
    }

    /// <summary>A factor with three decimals, e.g. <c>12.000</c>.</summary>
    public static string Format(double factor) => factor.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>What an integer factor or an integer reciprocal suggests.</summary>
    public static string Hint(double factor, CheckOptions options)
    {
        string sign = factor < 0 ? " and a flipped sign" : "";
        double magnitude = Math.Abs(factor);
        double whole = Math.Round(magnitude);
        if (whole >= 2 && Math.Abs(magnitude - whole) <= options.RelativeTolerance * magnitude)
        {
            return $": a missing 1/N (N = {whole:0}){sign}?";
        }
        double inverse = Math.Round(1 / magnitude);
        if (inverse >= 2 && Math.Abs(1 / magnitude - inverse) <= options.RelativeTolerance / magnitude)
        {
            return $": an extra 1/N, or a missing factor N (N = {inverse:0}){sign}?";
        }
        return factor < 0 ? ": a stray factor and a flipped sign?" : ": a stray constant factor?";
    }
}
