using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class SigmoidTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Sigmoid", x => x.Sigmoid(), Values.General);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);
}
