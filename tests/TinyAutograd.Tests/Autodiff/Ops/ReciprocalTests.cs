using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;
using static System.FormattableString;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Reciprocal 1/x and the scalar-over-tensor quotient c / x (both in Reciprocal.cs).</summary>
public sealed class ReciprocalTests
{
    private static readonly Gen<OpCase> Cases = Gen.OneOf(
        OpCases.Unary("Reciprocal", x => x.Reciprocal(), Values.AwayFromZero),
        from c in Values.General
        from opCase in OpCases.Unary(Invariant($"{c} / x"), x => c / x, Values.AwayFromZero)
        select opCase);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void ValuesFollowIeeeDivision()
    {
        var x = Tensor.FromArray([4.0, -0.5, 0.0]);
        Assert.Equal(new[] { 0.25, -2.0, double.PositiveInfinity }, x.Reciprocal().ToArray());
        Assert.Equal(new[] { 0.75, -6.0, double.PositiveInfinity }, (3.0 / x).ToArray());
    }
}
