using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Sum(), Sum(axes, keepDims) and Sum(axis, keepDims).</summary>
public sealed class SumTests
{
    private static readonly Gen<(Tensor<double> X, ReductionForm Form)> Operands =
        from x in TensorGen.Of(Values.General)
        from form in ReductionForm.For(x.Rank)
        select (x, form);

    private static readonly Gen<OpCase> Cases =
        from operands in Operands
        from opCase in OpCase.Of(operands.Form.Describe("Sum"), xs => Sum(xs[0], operands.Form), operands.X)
        select opCase;

    private static Tensor<double> Sum(Tensor<double> x, ReductionForm form) =>
        form.Apply(x, t => t.Sum(), (t, axes, keep) => t.Sum(axes, keep), (t, axis, keep) => t.Sum(axis, keep));

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, operands =>
        {
            var (x, form) = operands;
            var expected = Reference.Reduce(x, form.Axes, form.KeepDims, slice => slice.Sum());
            // Summation order differs; the rounding bound (n − 1)·u·Σ|x| is at most 255 · 1.1e-16 · 768 ≈ 2.2e-11.
            ElementwiseComparison.Require(form.Describe("Sum"), Sum(x, form), expected, new Tolerance(Absolute: 2.5e-11, Relative: 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void SumOfAnEmptyTensorIsZero()
    {
        Assert.Equal(0.0, Tensor.Zeros<double>(0, 3).Sum().ToScalar());
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, Tensor.Zeros<double>(0, 3).Sum(0).ToArray());
    }
}
