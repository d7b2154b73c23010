using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;
using static System.FormattableString;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>x.Pow(p) for a constant exponent p.</summary>
public sealed class PowScalarTests
{
    /// <summary>Any exponent on positive bases; integer exponents also on negative bases (where xᵖ is real).</summary>
    private static readonly Gen<OpCase> Cases = Gen.OneOf(
        from p in Gen.Elements(-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.7, 3.0)
        from opCase in OpCases.Unary(Invariant($"Pow({p})"), x => x.Pow(p), Values.Positive)
        select opCase,
        from p in Gen.Elements(-2.0, -1.0, 0.0, 1.0, 2.0, 3.0)
        from opCase in OpCases.Unary(Invariant($"Pow({p}) of any sign"), x => x.Pow(p), Values.AwayFromZero)
        select opCase);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void ZeroExponentGivesOnesAndZeroGradient()
    {
        var x = Tensor.FromArray([-2.0, 0.5, 3.0]).RequireGrad();
        var y = x.Pow(0);
        y.Sum().Backward();
        Assert.Equal(new[] { 1.0, 1.0, 1.0 }, y.ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, x.Grad!.ToArray());
    }
}
