using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Generators of double values inside the domains where ops are differentiable and finite differences are accurate.
/// </summary>
/// <remarks>
/// Values are built from integers (FsCheck's own double generator yields NaN and ±∞). Every domain keeps inputs at least
/// 0.06 away from kinks and domain edges, more than the largest step <see cref="FiniteDifferences"/> takes there
/// (2h = 0.002·max(1, |x|), at most 0.006 for |x| ≤ 3; for the wider <see cref="Distinct"/> ladder the gaps are 0.15
/// against 2h ≤ 0.052), so a finite difference never straddles a kink.
/// </remarks>
public static class Values
{
    private const int Resolution = 10_000;

    /// <summary>Uniform on [low, high] with a resolution of (high − low) / 10⁴.</summary>
    public static Gen<double> Uniform(double low, double high) =>
        Gen.Choose(0, Resolution).Select(k => low + (high - low) * k / Resolution);

    /// <summary>Any value of moderate size: [−3, 3]. Suits smooth ops defined everywhere, including exp (bounded result).</summary>
    public static Gen<double> General { get; } = Uniform(-3, 3);

    /// <summary>[0.5, 3]: inside the domain of log, sqrt and the base of a power, away from the singularity at 0.</summary>
    public static Gen<double> Positive { get; } = Uniform(0.5, 3);

    /// <summary>±[0.2, 3]: away from the kink of abs and relu and from the pole of 1/x.</summary>
    public static Gen<double> AwayFromZero { get; } = WithRandomSign(Uniform(0.2, 3));

    /// <summary>±[0.5, 1.5]: weights that make every element of an op's output matter in a weighted sum.</summary>
    public static Gen<double> Weight { get; } = WithRandomSign(Uniform(0.5, 1.5));

    /// <summary>[0, 1]: probabilities, e.g. binary cross-entropy targets.</summary>
    public static Gen<double> Probability { get; } = Uniform(0, 1);

    /// <summary>
    /// 0.2k + jitter (k ∈ [−15, 15], jitter ∈ [0, 0.04]) on the even lattice, shifted by 0.1 on the odd one: a value
    /// from one lattice is at least 0.06 away from any value of the other, so max(x, y) never ties by construction.
    /// </summary>
    public static Gen<double> Lattice(bool odd) =>
        from k in Gen.Choose(-15, 15)
        from jitter in Uniform(0, 0.04)
        select 0.2 * k + (odd ? 0.1 : 0) + jitter;

    /// <summary>
    /// <paramref name="count"/> pairwise distinct values, at least 0.15 apart: a shuffled ladder 0.2·(p − count/2) plus
    /// a jitter in [0, 0.05]. No two elements tie, so the maximum of any slice is unique.
    /// </summary>
    public static Gen<double[]> Distinct(int count) =>
        from order in Gen.Shuffle(Enumerable.Range(0, count).ToArray())
        from jitter in Gen.ArrayOf(Uniform(0, 0.05), count)
        select order.Select((p, i) => 0.2 * (p - count / 2) + jitter[i]).ToArray();

    /// <summary>A direction component for directional derivatives and Hessian-vector products: [−1, 1].</summary>
    public static Gen<double> Direction { get; } = Uniform(-1, 1);

    private static Gen<double> WithRandomSign(Gen<double> magnitude) =>
        from m in magnitude
        from negative in Gen.Elements(false, true)
        select negative ? -m : m;
}
