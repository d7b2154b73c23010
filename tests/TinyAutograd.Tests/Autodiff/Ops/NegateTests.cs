using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class NegateTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Negate", x => -x, Values.General);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void MethodFormEqualsOperator()
    {
        var x = Tensor.FromArray([1.5, -2.0, 0.0]);
        Assert.Equal(new[] { -1.5, 2.0, -0.0 }, x.Negate().ToArray());
    }
}
