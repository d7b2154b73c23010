using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>x.Pow(y) with both the base and the exponent differentiated, under broadcasting.</summary>
public sealed class PowTests
{
    private static readonly Gen<double> Exponents = Values.Uniform(-2, 2);

    private static readonly Gen<OpCase> Cases = OpCases.Binary("Pow", (x, y) => x.Pow(y), Values.Positive, Exponents);

    [Fact]
    public void ValueMatchesBroadcastingReference() =>
        Properties.ForAll(OpCases.BroadcastOperands(Values.Positive, Exponents), operands =>
        {
            var (x, y) = operands;
            ElementwiseComparison.Require("Pow value", x.Pow(y), Reference.Broadcast(x, y, Math.Pow), new Tolerance(0, 1e-14));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);
}
