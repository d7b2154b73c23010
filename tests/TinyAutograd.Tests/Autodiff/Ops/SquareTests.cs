using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class SquareTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Square", x => x.Square(), Values.General);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);
}
