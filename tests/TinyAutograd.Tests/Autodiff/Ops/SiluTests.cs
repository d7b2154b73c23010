using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class SiluTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("Silu", x => x.Silu(), Values.General);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void ValuesMatchXTimesSigmoidAndSaturateWithoutOverflow()
    {
        double[] values = [-1000, -3, -0.5, 0, 1.25, 1000];
        var x = Tensor.FromArray(values).RequireGrad();
        var y = x.Silu();
        y.Sum().Backward();
        for (int i = 0; i < values.Length; i++)
        {
            double s = 1 / (1 + Math.Exp(-values[i]));
            Assert.Equal(values[i] * s, y[i], 1e-15);
            Assert.Equal(s * (1 + values[i] * (1 - s)), x.Grad![i], 1e-15);
        }
    }
}
