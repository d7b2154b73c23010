using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Sin and Cos, each the other's derivative up to sign: one set of properties for both.</summary>
public sealed class SinCosTests
{
    public static TheoryData<string> Ops => ["Sin", "Cos"];

    private static Func<Tensor<double>, Tensor<double>> Op(string name) => name == "Sin" ? x => x.Sin() : x => x.Cos();

    private static Gen<OpCase> Cases(string name) => OpCases.Unary(name, Op(name), Values.General);

    [Theory]
    [MemberData(nameof(Ops))]
    public void GradientMatchesFiniteDifferences(string name) =>
        Properties.GradientMatchesFiniteDifferences(Cases(name), new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Theory]
    [MemberData(nameof(Ops))]
    public void SecondOrderPropertiesHold(string name) =>
        Properties.SecondOrderHolds(Cases(name), SecondOrderTolerances.Standard);

    [Theory]
    [MemberData(nameof(Ops))]
    public void ValuesAndGradientMatchTheScalarFunctions(string name)
    {
        Func<double, double> value = name == "Sin" ? Math.Sin : Math.Cos;
        Func<double, double> derivative = name == "Sin" ? Math.Cos : v => -Math.Sin(v);
        double[] values = [-10, -Math.PI, -1, 0, 0.5, 2, 100];
        var x = Tensor.FromArray(values).RequireGrad();
        var y = Op(name)(x);
        y.Sum().Backward();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(value(values[i]), y[i], 1e-15);
            Assert.Equal(derivative(values[i]), x.Grad![i], 1e-15);
        }
    }
}
