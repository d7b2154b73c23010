namespace TinyAutograd.Checks;

/// <summary>
/// Looks for systematic mistakes in a hand-derived quantity that failed its check, most telling first: an asymmetric
/// hand Hessian; then a constant factor or sign flip over all elements; else a permuted layout; else a mismatch
/// confined to one region.
/// </summary>
internal static class PatternFinder
{
    /// <summary>The patterns found in <paramref name="part"/>; none when every element matches autodiff.</summary>
    public static IEnumerable<PatternDiagnosis> Find(PartValues part, CheckOptions options)
    {
        if (!part.Failing(options).Contains(true))
        {
            yield break;
        }
        if (SymmetryPattern.Find(part, options) is { } asymmetric)
        {
            yield return asymmetric;
        }
        if ((FactorPattern.Find(part, options) ?? PermutationPattern.Find(part, options) ?? ConfinedPattern.Find(part, options)) is { } pattern)
        {
            yield return pattern;
        }
    }
}
