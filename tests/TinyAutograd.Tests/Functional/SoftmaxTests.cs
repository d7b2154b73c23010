using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Functional;

/// <summary>Softmax(axis) and LogSoftmax(axis) along random axes. Extreme values: NumericalStabilityTests.</summary>
[Properties(Arbitrary = new[] { typeof(Generators) })]
public sealed class SoftmaxTests
{
    /// <summary>Where the properties below draw their arguments from.</summary>
    public static class Generators
    {
        public static Arbitrary<(Tensor<double> X, int Axis, bool Log)> Operands() => Arb.From(SoftmaxTests.Operands);

        public static Arbitrary<OpCase> Cases() => Arb.From(SoftmaxTests.Cases);

        public static Arbitrary<(OpCase Case, Probe Probe)> ProbedCases() => Arb.From(Properties.WithProbes(SoftmaxTests.Cases));
    }

    private static readonly Gen<(Tensor<double> X, int Axis, bool Log)> Operands =
        from shape in Shapes.RankBetween(1, Shapes.MaxRank)
        from x in TensorGen.Of(shape, Values.General)
        from axis in Shapes.Axis(shape.Rank)
        from log in Gen.Elements(false, true)
        select (x, axis, log);

    private static readonly Gen<OpCase> Cases =
        from operands in Operands
        from opCase in OpCase.Of(Describe(operands.Axis, operands.Log), xs => Apply(xs[0], operands.Axis, operands.Log), operands.X)
        select opCase;

    private static Tensor<double> Apply(Tensor<double> x, int axis, bool log) => log ? x.LogSoftmax(axis) : x.Softmax(axis);

    private static string Describe(int axis, bool log) => $"{(log ? "LogSoftmax" : "Softmax")}(axis {axis})";

    [Property]
    public void ValueMatchesReference((Tensor<double> X, int Axis, bool Log) operands)
    {
        var (x, axis, log) = operands;
        int along = axis < 0 ? axis + x.Rank : axis;
        var expected = NdIndex.Build(x.Shape, index =>
        {
            double total = 0;
            for (int k = 0; k < x.Shape[along]; k++)
            {
                var other = (int[])index.Clone();
                other[along] = k;
                total += Math.Exp(NdIndex.At(x, other));
            }
            double value = NdIndex.At(x, index);
            return log ? value - Math.Log(total) : Math.Exp(value) / total;
        });
        ElementwiseComparison.Require(Describe(axis, log), Apply(x, axis, log), expected, new Tolerance(1e-14, 1e-13));
    }

    [Property]
    public void GradientMatchesFiniteDifferences(OpCase opCase) =>
        Properties.GradientMatchesFiniteDifferences(opCase, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Property]
    public void SecondOrderPropertiesHold((OpCase Case, Probe Probe) probed) =>
        SecondOrderChecker.Check(probed.Case, probed.Probe, SecondOrderTolerances.Standard);

    [Fact]
    public void DefaultAxisIsTheLast()
    {
        var x = Tensor.FromArray([0.0, Math.Log(3.0), 1.0, 1.0], 2, 2);
        ElementwiseComparison.Require("Softmax()", x.Softmax().Data, [0.25, 0.75, 0.5, 0.5], new Tolerance(1e-15, 0));
    }
}
