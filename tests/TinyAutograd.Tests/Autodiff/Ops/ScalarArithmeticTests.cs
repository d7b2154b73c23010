using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;
using static System.FormattableString;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>The tensor–scalar operator overloads x + c, c + x, x − c, c − x, x·c, c·x and x / c.</summary>
public sealed class ScalarArithmeticTests
{
    private sealed record Form(string Name, Func<Tensor<double>, double, Tensor<double>> Op, Func<double, double, double> Reference)
    {
        public override string ToString() => Name;
    }

    private static readonly Form[] Forms =
    [
        new("x + c", (x, c) => x + c, (x, c) => x + c),
        new("c + x", (x, c) => c + x, (x, c) => c + x),
        new("x - c", (x, c) => x - c, (x, c) => x - c),
        new("c - x", (x, c) => c - x, (x, c) => c - x),
        new("x * c", (x, c) => x * c, (x, c) => x * c),
        new("c * x", (x, c) => c * x, (x, c) => c * x),
        new("x / c", (x, c) => x / c, (x, c) => x / c),
    ];

    private static readonly Gen<(Form Form, double C, Tensor<double> X)> Operands =
        from form in Gen.Elements(Forms)
        from c in Values.AwayFromZero
        from x in TensorGen.Of(Values.General)
        select (form, c, x);

    private static readonly Gen<OpCase> Cases =
        from operands in Operands
        from opCase in OpCase.Of(Invariant($"{operands.Form.Name} with c = {operands.C}"), xs => operands.Form.Op(xs[0], operands.C), operands.X)
        select opCase;

    [Fact]
    public void ValueMatchesElementwiseReference() =>
        Properties.ForAll(Operands, operands =>
        {
            var (form, c, x) = operands;
            var expected = NdIndex.Build(x.Shape, index => form.Reference(NdIndex.At(x, index), c));
            ElementwiseComparison.Require($"{form.Name} value", form.Op(x, c), expected, new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);
}
