using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Functional;

/// <summary>Mean(), Mean(axes, keepDims) and Mean(axis, keepDims).</summary>
public sealed class MeanTests
{
    private static readonly Gen<(Tensor<double> X, ReductionForm Form)> Operands =
        from x in TensorGen.Of(Values.General)
        from form in ReductionForm.For(x.Rank)
        select (x, form);

    private static readonly Gen<OpCase> Cases =
        from operands in Operands
        from opCase in OpCase.Of(operands.Form.Describe("Mean"), xs => Mean(xs[0], operands.Form), operands.X)
        select opCase;

    private static Tensor<double> Mean(Tensor<double> x, ReductionForm form) =>
        form.Apply(x, t => t.Mean(), (t, axes, keep) => t.Mean(axes, keep), (t, axis, keep) => t.Mean(axis, keep));

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, operands =>
        {
            var (x, form) = operands;
            var expected = Reference.Reduce(x, form.Axes, form.KeepDims, slice => slice.Sum() / slice.Count);
            // Summation order differs: |Δ| ≤ (n − 1)·u·Σ|x| / n ≤ (n − 1)·u·max|x| ≤ 255 · 1.1e-16 · 3 ≈ 8.4e-14.
            ElementwiseComparison.Require(form.Describe("Mean"), Mean(x, form), expected, new Tolerance(Absolute: 1e-13, Relative: 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);
}
