using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Max(), Max(axes, keepDims) and Max(axis, keepDims), on distinct values (no ties) and on ties.</summary>
public sealed class MaxTests
{
    private static readonly Gen<(Tensor<double> X, ReductionForm Form)> Operands =
        from shape in Shapes.Any
        from x in TensorGen.Distinct(shape)
        from form in ReductionForm.For(x.Rank)
        select (x, form);

    private static readonly Gen<OpCase> Cases =
        from operands in Operands
        from opCase in OpCase.Of(operands.Form.Describe("Max"), xs => Max(xs[0], operands.Form), operands.X)
        select opCase;

    private static Tensor<double> Max(Tensor<double> x, ReductionForm form) =>
        form.Apply(x, t => t.Max(), (t, axes, keep) => t.Max(axes, keep), (t, axis, keep) => t.Max(axis, keep));

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, operands =>
        {
            var (x, form) = operands;
            var expected = Reference.Reduce(x, form.Axes, form.KeepDims, slice => slice.Max());
            ElementwiseComparison.Require(form.Describe("Max"), Max(x, form), expected, new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void TiesSplitTheGradientEvenlyWithinEachSlice()
    {
        var x = Tensor.FromArray([1.0, 3.0, 3.0, 7.0, 7.0, 7.0], 2, 3).RequireGrad();
        x.Max(1).Backward(Tensor.FromArray([1.0, 6.0]));
        Assert.Equal(new[] { 0.0, 0.5, 0.5, 2.0, 2.0, 2.0 }, x.Grad!.ToArray());
    }
}
