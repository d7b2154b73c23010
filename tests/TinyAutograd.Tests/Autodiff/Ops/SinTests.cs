using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class SinTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Sin", x => x.Sin(), Values.General);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void ValuesAndGradientMatchTheScalarFunctions()
    {
        double[] values = [-10, -Math.PI, -1, 0, 0.5, 2, 100];
        var x = Tensor.FromArray(values).RequireGrad();
        var y = x.Sin();
        y.Sum().Backward();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(Math.Sin(values[i]), y[i], 1e-15);
            Assert.Equal(Math.Cos(values[i]), x.Grad![i], 1e-15);
        }
    }
}
