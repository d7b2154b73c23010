using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Functional;

/// <summary>Softmax(axis) and LogSoftmax(axis) along random axes. Extreme values: NumericalStabilityTests.</summary>
public sealed class SoftmaxTests
{
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

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, operands =>
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
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void DefaultAxisIsTheLast()
    {
        var x = Tensor.FromArray([0.0, Math.Log(3.0), 1.0, 1.0], 2, 2);
        ElementwiseComparison.Require("Softmax()", x.Softmax().Data, [0.25, 0.75, 0.5, 0.5], new Tolerance(1e-15, 0));
    }
}
