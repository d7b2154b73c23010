using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;
using static System.FormattableString;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>
/// x.Pow(p) where the registry does not go: integer exponents on negative bases (the registry's bases are positive, where
/// every exponent is real), and the zero exponent's gradient (random positive bases and exponents: OpRegistry).
/// </summary>
public sealed class PowScalarTests
{
    private static readonly Gen<OpCase> IntegerExponentsOnAnySign =
        from p in Gen.Elements(-2.0, -1.0, 0.0, 1.0, 2.0, 3.0)
        from opCase in OpCases.Unary(Invariant($"Pow({p}) of any sign"), x => x.Pow(p), Values.AwayFromZero)
        select opCase;

    [Fact]
    public void IntegerExponentsOnNegativeBasesHaveFiniteDifferenceGradients() =>
        Properties.GradientMatchesFiniteDifferences(IntegerExponentsOnAnySign, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void IntegerExponentsOnNegativeBasesHaveSecondOrderProperties() =>
        Properties.SecondOrderHolds(IntegerExponentsOnAnySign, SecondOrderTolerances.Standard);

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
