using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>LogSumExp(), LogSumExp(axes, keepDims) and LogSumExp(axis, keepDims). Extreme values: Functional/NumericalStabilityTests.</summary>
public sealed class LogSumExpTests
{
    private static readonly Gen<(Tensor<double> X, ReductionForm Form)> Operands =
        from x in TensorGen.Of(Values.General)
        from form in ReductionForm.For(x.Rank)
        select (x, form);

    private static readonly Gen<OpCase> Cases =
        from operands in Operands
        from opCase in OpCase.Of(operands.Form.Describe("LogSumExp"), xs => LogSumExp(xs[0], operands.Form), operands.X)
        select opCase;

    private static Tensor<double> LogSumExp(Tensor<double> x, ReductionForm form) =>
        form.Apply(x, t => t.LogSumExp(), (t, axes, keep) => t.LogSumExp(axes, keep), (t, axis, keep) => t.LogSumExp(axis, keep));

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, operands =>
        {
            var (x, form) = operands;
            // For inputs in [−3, 3] the direct formula log Σ exp(x) is accurate to a few ulps.
            var expected = Reference.Reduce(x, form.Axes, form.KeepDims, slice => Math.Log(slice.Sum(Math.Exp)));
            ElementwiseComparison.Require(form.Describe("LogSumExp"), LogSumExp(x, form), expected, new Tolerance(1e-13, 1e-13));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);
}
